// The authoring area of the IPC contract (issue 3): create, edit, delete units; logs; resources;
// sockets and timers. Each channel declared once; contract/ipc.ts composes every area. Payloads
// are checked here for shape only: what the values mean (unit-name rules, absolute paths) is the
// core's to check, and it answers with FormIssues the form shows beside each field.
import type { LogQuery } from '../../main/core/model/logs.js';
import { z } from 'zod';
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
} from '../../main/core/model/authoring.js';
import { returns, field, nothing } from '../channel.js';
import { arg, line, logRange, payload, text, token } from '../schemas.js';

/** A unit as the user names it: `web`, `web.service` or its entry id. */
const unit = line(512);
const serviceForm = payload({
  name: text(256),
  description: text(4096),
  // A form being typed: an empty argv is the core's FormIssue, not a refused payload.
  argv: z.array(arg).max(4096),
  workingDirectory: text(4096).nullable(),
  environment: z.array(payload({ name: text(1024), value: text(65_536) })).max(1024),
  restart: z.enum(RESTART_POLICIES),
  restartSec: z.number().finite().nullable(),
  startAtLogin: z.boolean(),
  afterNetwork: z.boolean(),
  socket: payload({ listen: text(4096), accept: z.boolean() }).nullable(),
}) satisfies z.ZodType<ServiceForm>;
const timerForm = payload({
  unit: text(256),
  description: text(4096),
  onCalendar: text(1024).nullable(),
  onBootSec: text(256).nullable(),
  onActiveSec: text(256).nullable(),
  persistent: z.boolean(),
}) satisfies z.ZodType<TimerForm>;
const unitText = payload({ id: unit, text: text(1_000_000) });

export const authoringChannels = {
  /** The live preview and the issues of a form, as the user types. Writes nothing. */
  'authoring:preview': returns<UnitPreview>()('previewUnit', field('form', serviceForm)),
  /** Split a typed command line with shell-like rules and show the ExecStart= it becomes. */
  'authoring:split-command': returns<{ argv: string[]; execStart: string }>()(
    'splitCommand',
    field('line', text(65_536)),
  ),
  'authoring:create': returns<AuthoringOutcome>()('createUnit', {
    payload: payload({ form: serviceForm, enable: z.boolean(), start: z.boolean() }),
    args: (form: ServiceForm, opts: { enable: boolean; start: boolean }) => ({ form, ...opts }),
  }),
  'authoring:definition': returns<UnitDefinition>()('getDefinition', field('id', unit)),
  /** The diff and verify result of an edit as text, before it is saved. */
  'authoring:preview-edit': returns<EditPreview>()('previewEdit', {
    payload: unitText,
    args: (id: string, text: string) => ({ id, text }),
  }),
  /** Save a form over a unit Daemon Deck created. */
  'authoring:update-form': returns<AuthoringOutcome>()('updateUnitForm', {
    payload: payload({ id: unit, form: serviceForm }),
    args: (id: string, form: ServiceForm) => ({ id, form }),
  }),
  /** Save text: the whole file for an app-owned unit, override.conf for any other. */
  'authoring:edit-text': returns<AuthoringOutcome>()('editUnitText', {
    payload: unitText,
    args: (id: string, text: string) => ({ id, text }),
  }),
  'authoring:revert-vendor': returns<AuthoringOutcome>()('revertToVendor', field('id', unit)),
  'authoring:delete': returns<AuthoringOutcome>()('deleteUnit', field('id', unit)),
  'authoring:undo': returns<{ paths: string[] }>()('undo', field('token', token)),
  /** The last lines (default 200), or those after a cursor (poll this to follow). */
  'authoring:logs': returns<LogsResult>()('getLogs', {
    payload: payload({ id: unit, ...logRange }),
    args: (id: string, opts: LogQuery = {}) => ({ id, ...opts }),
  }),
  /** Live resources from one /proc scan; call every second or two while a window shows them. */
  'authoring:resources': returns<UnitResources>()('getResources', field('id', unit)),
  'authoring:timers': returns<TimerInfo[]>()('listTimers', nothing),
  'authoring:timer-preview': returns<string[]>()('previewCalendar', {
    payload: payload({
      onCalendar: text(1024),
      count: z.number().int().min(1).max(100).default(5),
    }),
    args: (onCalendar: string, count?: number) => ({
      onCalendar,
      ...(count !== undefined ? { count } : {}),
    }),
  }),
  'authoring:create-timer': returns<AuthoringOutcome>()('createTimer', {
    payload: payload({ form: timerForm, enable: z.boolean() }),
    args: (form: TimerForm, opts: { enable: boolean }) => ({ form, ...opts }),
  }),
};
