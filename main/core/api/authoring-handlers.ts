// IPC handlers for the authoring area (issue 3): every payload is checked with zod for shape here;
// what the values mean (unit-name rules, absolute paths, control characters) is checked by the
// core, which answers with FormIssues the form shows beside each field.
import { z } from 'zod';
import type { InvokeResult } from '../../../contract/ipc.js';
import type { Result } from '../model/domain.js';
import {
  RESTART_POLICIES,
  type AuthoringOutcome,
  type EditPreview,
  type LogsResult,
  type ServiceForm,
  type TimerForm,
  type TimerInfo,
  type UnitDefinition,
  type UnitPreview,
  type UnitResources,
} from '../model/authoring.js';
import type { AuthoringInvokeMap } from '../../../contract/areas/authoring.js';
import { fail, invalidInput } from '../errors.js';

/** What the core offers the authoring channels; `AuthoringService` (unit-authoring.ts) implements it. */
export interface AuthoringOps {
  preview(form: ServiceForm): Promise<Result<UnitPreview>>;
  splitCommand(line: string): Promise<Result<{ argv: string[]; execStart: string }>>;
  create(
    form: ServiceForm,
    opts: { enable: boolean; start: boolean },
  ): Promise<Result<AuthoringOutcome>>;
  definition(ref: string): Promise<Result<UnitDefinition>>;
  previewEdit(ref: string, text: string): Promise<Result<EditPreview>>;
  updateForm(ref: string, form: ServiceForm): Promise<Result<AuthoringOutcome>>;
  editText(ref: string, text: string): Promise<Result<AuthoringOutcome>>;
  revertToVendor(ref: string): Promise<Result<AuthoringOutcome>>;
  remove(ref: string): Promise<Result<AuthoringOutcome>>;
  undo(token: string): Promise<Result<{ paths: string[] }>>;
  logs(ref: string, opts: { lines?: number; afterCursor?: string }): Promise<Result<LogsResult>>;
  resources(ref: string): Promise<Result<UnitResources>>;
  timers(): Promise<Result<TimerInfo[]>>;
  calendarPreview(expr: string, count: number): Promise<Result<string[]>>;
  createTimer(form: TimerForm, opts: { enable: boolean }): Promise<Result<AuthoringOutcome>>;
}

export type AuthoringHandlers = {
  [C in keyof AuthoringInvokeMap]: (payload: unknown) => Promise<InvokeResult<C>>;
};

const text = (max: number) => z.string().max(max);
const id = z.string().min(1).max(512);
const serviceForm = z
  .object({
    name: text(256),
    description: text(4096),
    argv: z.array(text(65_536)).max(4096),
    workingDirectory: text(4096).nullable(),
    environment: z.array(z.object({ name: text(1024), value: text(65_536) }).strict()).max(1024),
    restart: z.enum(RESTART_POLICIES as [string, ...string[]]),
    restartSec: z.number().finite().nullable(),
    startAtLogin: z.boolean(),
    afterNetwork: z.boolean(),
    socket: z
      .object({ listen: text(4096), accept: z.boolean() })
      .strict()
      .nullable(),
  })
  .strict() as unknown as z.ZodType<ServiceForm>;
const timerForm = z
  .object({
    unit: text(256),
    description: text(4096),
    onCalendar: text(1024).nullable(),
    onBootSec: text(256).nullable(),
    onActiveSec: text(256).nullable(),
    persistent: z.boolean(),
  })
  .strict();

const schemas = {
  preview: z.object({ form: serviceForm }).strict(),
  split: z.object({ line: text(65_536) }).strict(),
  create: z.object({ form: serviceForm, enable: z.boolean(), start: z.boolean() }).strict(),
  id: z.object({ id }).strict(),
  idText: z.object({ id, text: text(1_000_000) }).strict(),
  idForm: z.object({ id, form: serviceForm }).strict(),
  undo: z.object({ token: z.string().min(1).max(256) }).strict(),
  logs: z
    .object({
      id,
      lines: z.number().int().min(1).max(100_000).optional(),
      afterCursor: z.string().min(1).max(4096).optional(),
    })
    .strict(),
  none: z.null().optional(),
  calendar: z
    .object({ onCalendar: text(1024), count: z.number().int().min(1).max(100).optional() })
    .strict(),
  timer: z.object({ form: timerForm, enable: z.boolean() }).strict(),
};

function unsupported<T>(): Promise<Result<T>> {
  return Promise.resolve(
    fail('unsupported', 'Creating and inspecting units is not available in this build.'),
  );
}

/**
 * The authoring channels. With `ops` absent (a shell that has not wired the service), every
 * channel answers an `unsupported` error instead of failing to exist.
 */
export function createAuthoringHandlers(ops: AuthoringOps | undefined): AuthoringHandlers {
  function handle<S extends z.ZodType, T>(
    schema: S,
    run: (o: AuthoringOps, value: z.infer<S>) => Promise<Result<T>>,
  ): (payload: unknown) => Promise<Result<T>> {
    return (payload) => {
      const p = schema.safeParse(payload);
      if (!p.success)
        return Promise.resolve(invalidInput(p.error.issues.map((i) => i.message).join('; ')));
      if (ops === undefined) return unsupported<T>();
      return run(ops, p.data);
    };
  }
  return {
    'authoring:preview': handle(schemas.preview, (o, v) => o.preview(v.form)),
    'authoring:split-command': handle(schemas.split, (o, v) => o.splitCommand(v.line)),
    'authoring:create': handle(schemas.create, (o, v) =>
      o.create(v.form, { enable: v.enable, start: v.start }),
    ),
    'authoring:definition': handle(schemas.id, (o, v) => o.definition(v.id)),
    'authoring:preview-edit': handle(schemas.idText, (o, v) => o.previewEdit(v.id, v.text)),
    'authoring:update-form': handle(schemas.idForm, (o, v) => o.updateForm(v.id, v.form)),
    'authoring:edit-text': handle(schemas.idText, (o, v) => o.editText(v.id, v.text)),
    'authoring:revert-vendor': handle(schemas.id, (o, v) => o.revertToVendor(v.id)),
    'authoring:delete': handle(schemas.id, (o, v) => o.remove(v.id)),
    'authoring:undo': handle(schemas.undo, (o, v) => o.undo(v.token)),
    'authoring:logs': handle(schemas.logs, (o, v) =>
      o.logs(v.id, {
        ...(v.lines !== undefined ? { lines: v.lines } : {}),
        ...(v.afterCursor !== undefined ? { afterCursor: v.afterCursor } : {}),
      }),
    ),
    'authoring:resources': handle(schemas.id, (o, v) => o.resources(v.id)),
    'authoring:timers': handle(schemas.none, (o) => o.timers()),
    'authoring:timer-preview': handle(schemas.calendar, (o, v) =>
      o.calendarPreview(v.onCalendar, v.count ?? 5),
    ),
    'authoring:create-timer': handle(schemas.timer, (o, v) =>
      o.createTimer(v.form, { enable: v.enable }),
    ),
  };
}
