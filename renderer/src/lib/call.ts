// One way to call the preload API from view state: a transport failure (a closed window, a
// broken connection) becomes an AppError like any other, so the page shows words, not a throw.
import type { AppError, Result } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';

export function asError(err: unknown): AppError {
  return {
    code: 'internal',
    message: t('errors:ipc.couldNotAsk', {
      reason: err instanceof Error ? err.message : String(err),
    }),
  };
}

export async function call<T>(task: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await task();
  } catch (err) {
    return { ok: false, error: asError(err) };
  }
}

/** An id for one operation, so a window picks its own progress events out of the broadcast. */
export function operationId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
