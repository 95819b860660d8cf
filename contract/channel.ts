// How one IPC channel is declared, once: its preload method name, the method's arguments and the
// payload they become, the payload's zod schema and the result type. Everything else is derived
// from the declarations: the preload API (preload/api.ts builds it generically), the payload
// checks of the handler table (main/core/api/handlers.ts) and the ops interface the core
// implements for each area (OpsOf). Adding a channel is one declaration plus one core method.
import { z } from 'zod';
import type { Result } from '../main/core/model/domain.js';

/** One invoke channel. R is the result type; `returnsResult` says whether R is a Result. */
export interface InvokeDecl<M extends string, S extends z.ZodType, A extends unknown[], R> {
  /** The method of window.daemonDeck, and of the core's ops for the channel's area. */
  method: M;
  /** Checks the payload in main before it reaches the core. */
  payload: S;
  /** Turns the method's arguments into the payload (runs in the preload). */
  args: (...a: A) => z.input<S>;
  /** A Result channel answers a bad payload with invalid-input; any other rejects. */
  returnsResult: boolean;
  /** Type only: never set. */
  readonly result?: R;
}

/** One event channel (main -> renderer) and the API method that subscribes to it. */
export interface EventDecl<M extends string, V> {
  method: M;
  /** Type only: never set. */
  readonly value?: V;
}

type AnyInvoke = InvokeDecl<string, z.ZodType, never[], unknown>;
export type InvokeDecls = Record<string, AnyInvoke>;
type EventDecls = Record<string, EventDecl<string, unknown>>;

/** How a method's arguments become the payload, and the payload's schema. */
interface Spec<S extends z.ZodType, A extends unknown[]> {
  payload: S;
  args: (...a: A) => z.input<S>;
}

/** A channel that answers Result<T>: a bad payload is an invalid-input Result. */
export function returns<T>() {
  return <M extends string, S extends z.ZodType, A extends unknown[]>(
    method: M,
    spec: Spec<S, A>,
  ): InvokeDecl<M, S, A, Result<T>> => ({ method, ...spec, returnsResult: true });
}

/** A channel that answers T itself (no Result): a bad payload rejects the call. */
export function answers<T>() {
  return <M extends string, S extends z.ZodType, A extends unknown[]>(
    method: M,
    spec: Spec<S, A>,
  ): InvokeDecl<M, S, A, T> => ({ method, ...spec, returnsResult: false });
}

export function event<V>() {
  return <M extends string>(method: M): EventDecl<M, V> => ({ method });
}

/** A method without arguments: no payload (null or absent). */
export const nothing = {
  payload: z.null({ error: 'This request takes no payload.' }).optional(),
  args: (): null => null,
};

/** A method of one argument, sent as the payload's one field `key`. */
export function field<K extends string, S extends z.ZodType>(key: K, schema: S) {
  return {
    payload: z.object({ [key]: schema } as Record<K, S>).strict(),
    args: (value: z.input<S>) => ({ [key]: value }) as Record<K, z.input<S>>,
  };
}
/** Methods whose one argument is the payload itself. */
export const asPayload = <T>(payload: T): T => payload;

export type ResultOf<D> = D extends InvokeDecl<string, z.ZodType, never[], infer R> ? R : never;
type PayloadOf<D> = D extends InvokeDecl<string, infer S, never[], unknown> ? S : never;
type ArgsOf<D> = D extends InvokeDecl<string, z.ZodType, infer A, unknown> ? A : never;
type ValueOf<D> = D extends EventDecl<string, infer V> ? V : never;

/** The preload methods of some invoke channels. */
export type InvokeApiOf<T extends InvokeDecls> = {
  [C in keyof T as T[C]['method']]: (...args: ArgsOf<T[C]>) => Promise<ResultOf<T[C]>>;
};

/** The preload methods of some event channels: each returns its unsubscribe. */
export type EventApiOf<T extends EventDecls> = {
  [E in keyof T as T[E]['method']]: (listener: (value: ValueOf<T[E]>) => void) => () => void;
};

/** What the core offers an area's channels: one method per channel, given the checked payload. */
export type OpsOf<T extends InvokeDecls> = {
  [C in keyof T as T[C]['method']]: (
    payload: z.output<PayloadOf<T[C]>>,
  ) => Promise<ResultOf<T[C]>> | ResultOf<T[C]>;
};

/** channel -> [payload, result], as the transports see it. */
export type InvokeMapOf<T extends InvokeDecls> = {
  [C in keyof T]: [payload: z.input<PayloadOf<T[C]>>, result: ResultOf<T[C]>];
};

/** channel -> value. */
export type EventMapOf<T extends EventDecls> = { [E in keyof T]: ValueOf<T[E]> };

/** The channel names of a declaration table, for the transports and the tests. */
export function channelsOf<T extends object>(table: T): (keyof T & string)[] {
  return Object.keys(table) as (keyof T & string)[];
}
