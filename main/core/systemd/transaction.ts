// Multi-step changes as transactions: each step knows how to undo itself; when one fails, the
// steps before it are undone in reverse order and the error says which step failed (and which
// undo failed too, if one did). Unit create, edit, delete and Adopt are built from these steps,
// so a unit's file, its enablement and its running state end as they were.
import type { AppError } from '../model/domain.js';
import { AppFailure, appError, toAppError } from '../errors.js';
import { t } from '../../../i18n/index.js';

export interface Step {
  /** What the step does, in the user's words: "write web.service", "stop web.service". */
  name: string;
  run(): Promise<void>;
  /**
   * Puts back what run() changed; omitted when run() changes nothing that needs undoing. May
   * return a note for the error message ("the command was started again as process 123").
   */
  undo?: () => Promise<string | void>;
}

/** Called before each step runs: tests inject a failure at a named step by throwing here. */
export type StepHook = (step: string) => void | Promise<void>;

function reason(e: AppError): string {
  return e.message.replace(/\.$/, '');
}

/**
 * Run `steps` in order. On a failure, undo the steps that ran (last first) and throw an
 * AppFailure with the failed step's error code: "`what` failed at "STEP": CAUSE; the N steps
 * before it were undone." Resolves with the names of the steps that ran.
 */
export async function runTransaction(
  what: string,
  steps: readonly Step[],
  hook?: StepHook,
): Promise<string[]> {
  const done: Step[] = [];
  for (const step of steps) {
    try {
      await hook?.(step.name);
      await step.run();
    } catch (err) {
      const cause = toAppError(err);
      const undoFailures: string[] = [];
      const notes: string[] = [];
      for (const d of [...done].reverse()) {
        if (d.undo === undefined) continue;
        try {
          const note = await d.undo();
          if (typeof note === 'string') notes.push(note);
        } catch (undoErr) {
          undoFailures.push(
            t('errors:transaction.undoFailed', {
              step: d.name,
              reason: reason(toAppError(undoErr)),
            }),
          );
        }
      }
      const undone =
        done.length === 0
          ? t('errors:transaction.nothingChanged')
          : undoFailures.length === 0
            ? t('errors:transaction.undone', { count: done.length })
            : undoFailures.join('; ');
      const noted =
        notes.length > 0 ? t('errors:transaction.notes', { notes: notes.join('; ') }) : '';
      throw new AppFailure(
        appError(
          cause.code,
          t('errors:transaction.failed', {
            what,
            step: step.name,
            reason: reason(cause),
            undone,
            noted,
          }),
          cause.detail ?? cause.message,
        ),
      );
    }
    done.push(step);
  }
  return done.map((s) => s.name);
}
