// The payload checks of the handler table, derived from the channel declarations (contract/): each
// handler checks its payload with the channel's schema before the core's method for that channel
// sees it. Without the core's methods for an area, its channels answer `unsupported`.
import type { InvokeDecls, OpsOf, ResultOf } from '../../../contract/channel.js';
import type { Result } from '../model/domain.js';
import { fail, invalidInput } from '../errors.js';

export type HandlersOf<T extends InvokeDecls> = {
  [C in keyof T]: (payload: unknown) => Promise<ResultOf<T[C]>>;
};

/** Thrown for payloads that fail validation on channels whose result is not a Result. */
export class InvalidPayloadError extends Error {}

type Method = (payload: unknown) => unknown;

/** One handler per declared channel, calling `ops` (absent: `unsupported` with that sentence). */
export function createHandlers<T extends InvokeDecls>(
  decls: T,
  ops: OpsOf<T> | undefined,
  unsupported: string,
): HandlersOf<T> {
  const methods = ops as Record<string, Method> | undefined;
  const handlers: Record<string, (payload: unknown) => Promise<unknown>> = {};
  for (const [channel, decl] of Object.entries(decls)) {
    const handle = (payload: unknown): unknown => {
      const parsed = decl.payload.safeParse(payload);
      if (!parsed.success) {
        const message = parsed.error.issues.map((i) => i.message).join('; ');
        if (!decl.returnsResult)
          throw new InvalidPayloadError(`Refused the payload of ${channel}: ${message}`);
        return invalidInput(message);
      }
      const method = methods?.[decl.method];
      if (method === undefined) return fail('unsupported', unsupported) satisfies Result<never>;
      return method.call(methods, parsed.data);
    };
    // A throw, even a synchronous one, becomes a rejection.
    handlers[channel] = (payload) => new Promise((resolve) => resolve(handle(payload)));
  }
  return handlers as HandlersOf<T>;
}
