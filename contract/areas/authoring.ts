// The authoring area of the IPC contract: its channels, what each takes and answers, and the
// named API methods; contract/ipc.ts composes every area into InvokeMap and DaemonDeckApi.
import type { Result } from '../../main/core/model/domain.js';
import type {
  ServiceForm,
  TimerForm,
  UnitPreview,
  AuthoringOutcome,
  UnitDefinition,
  EditPreview,
  LogsResult,
  UnitResources,
  TimerInfo,
} from '../../main/core/model/authoring.js';

export interface AuthoringInvokeMap {
  'authoring:preview': [payload: { form: ServiceForm }, result: Result<UnitPreview>];
  'authoring:split-command': [
    payload: { line: string },
    result: Result<{ argv: string[]; execStart: string }>,
  ];
  'authoring:create': [
    payload: { form: ServiceForm; enable: boolean; start: boolean },
    result: Result<AuthoringOutcome>,
  ];
  'authoring:definition': [payload: { id: string }, result: Result<UnitDefinition>];
  'authoring:preview-edit': [payload: { id: string; text: string }, result: Result<EditPreview>];
  'authoring:update-form': [
    payload: { id: string; form: ServiceForm },
    result: Result<AuthoringOutcome>,
  ];
  'authoring:edit-text': [payload: { id: string; text: string }, result: Result<AuthoringOutcome>];
  'authoring:revert-vendor': [payload: { id: string }, result: Result<AuthoringOutcome>];
  'authoring:delete': [payload: { id: string }, result: Result<AuthoringOutcome>];
  'authoring:undo': [payload: { token: string }, result: Result<{ paths: string[] }>];
  'authoring:logs': [
    payload: { id: string; lines?: number; afterCursor?: string },
    result: Result<LogsResult>,
  ];
  'authoring:resources': [payload: { id: string }, result: Result<UnitResources>];
  'authoring:timers': [payload: null, result: Result<TimerInfo[]>];
  'authoring:timer-preview': [
    payload: { onCalendar: string; count?: number },
    result: Result<string[]>,
  ];
  'authoring:create-timer': [
    payload: { form: TimerForm; enable: boolean },
    result: Result<AuthoringOutcome>,
  ];
}

export const AUTHORING_CHANNELS = [
  'authoring:preview',
  'authoring:split-command',
  'authoring:create',
  'authoring:definition',
  'authoring:preview-edit',
  'authoring:update-form',
  'authoring:edit-text',
  'authoring:revert-vendor',
  'authoring:delete',
  'authoring:undo',
  'authoring:logs',
  'authoring:resources',
  'authoring:timers',
  'authoring:timer-preview',
  'authoring:create-timer',
] as const satisfies readonly (keyof AuthoringInvokeMap)[];

export interface AuthoringApi {
  /** The live preview and the issues of a form, as the user types. Writes nothing. */
  previewUnit(form: ServiceForm): Promise<Result<UnitPreview>>;
  /** Split a typed command line with shell-like rules and show the ExecStart= it becomes. */
  splitCommand(line: string): Promise<Result<{ argv: string[]; execStart: string }>>;
  createUnit(
    form: ServiceForm,
    opts: { enable: boolean; start: boolean },
  ): Promise<Result<AuthoringOutcome>>;
  getDefinition(id: string): Promise<Result<UnitDefinition>>;
  /** The diff and verify result of an edit as text, before it is saved. */
  previewEdit(id: string, text: string): Promise<Result<EditPreview>>;
  /** Save a form over a unit Daemon Deck created. */
  updateUnitForm(id: string, form: ServiceForm): Promise<Result<AuthoringOutcome>>;
  /** Save text: the whole file for an app-owned unit, override.conf for any other. */
  editUnitText(id: string, text: string): Promise<Result<AuthoringOutcome>>;
  revertToVendor(id: string): Promise<Result<AuthoringOutcome>>;
  deleteUnit(id: string): Promise<Result<AuthoringOutcome>>;
  undo(token: string): Promise<Result<{ paths: string[] }>>;
  /** The last lines (default 200), or those after a cursor (poll this to follow). */
  getLogs(id: string, opts?: { lines?: number; afterCursor?: string }): Promise<Result<LogsResult>>;
  /** Live resources from one /proc scan; call every second or two while a window shows them. */
  getResources(id: string): Promise<Result<UnitResources>>;
  listTimers(): Promise<Result<TimerInfo[]>>;
  previewCalendar(onCalendar: string, count?: number): Promise<Result<string[]>>;
  createTimer(form: TimerForm, opts: { enable: boolean }): Promise<Result<AuthoringOutcome>>;
}
