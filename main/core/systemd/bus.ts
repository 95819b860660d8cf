// A small robust layer over dbus-next's MessageBus.
//
// dbus-next 0.10.2 is abandoned upstream (last commit 2022) and this layer exists to work around
// its known faults (see PLATFORM-NOTES and dbus-next issues #123, #125):
// - no call timeouts and no reconnect: after the daemon dies, pending and new calls never settle.
//   Every call here races a timer; on stream error/end every pending call is rejected, the bus is
//   rebuilt with exponential backoff and listeners are told ('up' again) so they can resync.
// - removing a proxy listener never sends RemoveMatch (hasOwnProperty arguments reversed), and
//   proxy.on() sends AddMatch without awaiting it. We use no proxies at all: a few broad match
//   rules are added once per connection (awaited) and signals are dispatched from 'message'.
// - getProxyObject re-introspects every time (13 ms each): we send raw Messages instead.
// - uint64 comes back as BigInt (and USEC_INFINITY as 2^64-1): normalise() turns values into
//   plain JSON-safe data.
import { t } from '../../../i18n/index.js';
import dbus from 'dbus-next';
import { AppFailure, appError } from '../errors.js';
import { marshalCall, type WireCall } from './bus-wire.js';

export interface CallRequest {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: unknown[];
}

export interface BusSignal {
  sender: string;
  path: string;
  interface: string;
  member: string;
  body: unknown[];
}

export type BusState = 'connecting' | 'up' | 'down';

/** What the rest of the core needs from a bus; RobustBus is the implementation. */
export interface Bus {
  readonly state: BusState;
  readonly lastError: string | null;
  /** Call a method; resolves with the normalised reply body. Rejects with AppFailure or DBusError. */
  call(req: CallRequest, timeoutMs?: number): Promise<unknown[]>;
  /** Add a match rule for the life of this object: re-added after every reconnect. */
  addMatch(rule: string): Promise<void>;
  onSignal(listener: (signal: BusSignal) => void): () => void;
  /** Told 'up' after every (re)connect (match rules already in place), 'down' on loss. */
  onState(listener: (state: BusState) => void): () => void;
  close(): void;
}

export const USEC_INFINITY = 2n ** 64n - 1n;

/** Turn dbus-next values into JSON-safe data: Variants unwrapped, BigInt to number (or null for infinity). */
export function normalise(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value === USEC_INFINITY) return null;
    return Number(value);
  }
  if (value instanceof dbus.Variant) return normalise(value.value);
  if (Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalise(v);
    return out;
  }
  return value;
}

/** The session bus address: $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus. */
export function sessionBusAddress(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.DBUS_SESSION_BUS_ADDRESS) return env.DBUS_SESSION_BUS_ADDRESS;
  if (env.XDG_RUNTIME_DIR) return `unix:path=${env.XDG_RUNTIME_DIR}/bus`;
  return null;
}

export interface RobustBusOptions {
  address: string | null;
  /**
   * Opens a MessageBus on a stream of its own instead of `address`, once per (re)connect: another
   * host's bus through `ssh HOST systemd-stdio-bridge` (main/core/host/ssh-host.ts).
   */
  open?: () => dbus.MessageBus;
  callTimeoutMs?: number;
  connectTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

const SIGNAL = 4;

interface Connection {
  message: (msg: dbus.Message) => void;
  stream?: NodeJS.WritableStream & {
    writable: boolean;
    supportsUnixFd?: boolean;
    cork?: () => void;
    uncork?: () => void;
  };
}

/**
 * Route the connection's simple method calls through the fast marshaller, and batch the writes of
 * one event-loop turn into one syscall. Everything else keeps dbus-next's own path.
 */
function installFastWrites(bus: dbus.MessageBus): void {
  const conn = (bus as unknown as { _connection?: Connection })._connection;
  const stream = conn?.stream;
  if (conn === undefined || stream === undefined || typeof conn.message !== 'function') return;
  const slow = conn.message;
  let corked = false;
  conn.message = (msg: dbus.Message) => {
    const data = marshalCall(msg as unknown as WireCall);
    if (data === null) {
      slow(msg);
      return;
    }
    if (!stream.writable) throw new Error('Cannot send message, stream is closed');
    if (!corked && stream.cork !== undefined && stream.uncork !== undefined) {
      corked = true;
      stream.cork();
      process.nextTick(() => {
        corked = false;
        stream.uncork?.();
      });
    }
    if (stream.supportsUnixFd) stream.write({ data, fds: [] } as unknown as Buffer);
    else stream.write(data);
  };
}

interface Pending {
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
}

export class RobustBus implements Bus {
  #bus: dbus.MessageBus | null = null;
  #state: BusState = 'connecting';
  #lastError: string | null = null;
  #matches: string[] = [];
  #signalListeners = new Set<(s: BusSignal) => void>();
  #stateListeners = new Set<(s: BusState) => void>();
  #pending = new Set<Pending>();
  #closed = false;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | null = null;
  readonly #opts: Required<Omit<RobustBusOptions, 'address' | 'open'>> &
    Pick<RobustBusOptions, 'address' | 'open'>;

  constructor(opts: RobustBusOptions) {
    this.#opts = {
      callTimeoutMs: 10_000,
      connectTimeoutMs: 5_000,
      backoffInitialMs: 100,
      backoffMaxMs: 5_000,
      ...opts,
    };
  }

  get state(): BusState {
    return this.#state;
  }

  get lastError(): string | null {
    return this.#lastError;
  }

  /** Connect once; on failure keep retrying in the background. Resolves either way. */
  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    this.#retryTimer = null;
    this.#setState('connecting');
    const address = this.#opts.address;
    const open = this.#opts.open;
    if (address === null && open === undefined) {
      this.#lastError = t('errors:bus.noAddress');
      this.#down();
      return;
    }
    let bus: dbus.MessageBus;
    try {
      bus = open !== undefined ? open() : dbus.sessionBus({ busAddress: address as string });
    } catch (err) {
      this.#lastError = String(err);
      this.#down();
      return;
    }
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#lastError = t('errors:bus.connectTimeout', {
          address: address ?? t('errors:bus.farHost'),
          ms: this.#opts.connectTimeoutMs,
        });
        resolve(false);
      }, this.#opts.connectTimeoutMs);
      bus.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
      bus.on('error', (err: unknown) => {
        clearTimeout(timer);
        this.#lastError = err instanceof Error ? err.message : String(err);
        if (this.#bus === bus) this.#lost(bus);
        resolve(false);
      });
    });
    if (!connected || this.#closed) {
      try {
        bus.disconnect();
      } catch (err) {
        this.#lastError ??= String(err);
      }
      if (!this.#closed) this.#down();
      return;
    }
    this.#bus = bus;
    installFastWrites(bus);
    // MessageBus does not forward the stream's 'end'; listen on the connection itself.
    const conn = (bus as unknown as { _connection?: NodeJS.EventEmitter })._connection;
    conn?.on('end', () => {
      this.#lastError = t('errors:bus.hungUp');
      this.#lost(bus);
    });
    bus.on('message', (msg: dbus.Message) => {
      if (msg.type !== SIGNAL) return;
      const signal: BusSignal = {
        sender: msg.sender,
        path: msg.path,
        interface: msg.interface,
        member: msg.member,
        body: normalise(msg.body) as unknown[],
      };
      for (const l of this.#signalListeners) {
        try {
          l(signal);
        } catch (err) {
          this.#lastError = `signal listener failed: ${String(err)}`;
        }
      }
    });
    try {
      // Written together, one round trip for all (the daemon handles a connection's calls in order).
      await Promise.all(this.#matches.map((rule) => this.#addMatchNow(rule)));
    } catch (err) {
      this.#lastError = `AddMatch failed: ${String(err)}`;
      this.#lost(bus);
      return;
    }
    this.#attempt = 0;
    this.#lastError = null;
    this.#setState('up');
  }

  #lost(bus: dbus.MessageBus): void {
    if (this.#bus !== bus) return;
    this.#bus = null;
    try {
      bus.disconnect();
    } catch (err) {
      this.#lastError ??= String(err);
    }
    const error = new AppFailure(
      appError('bus-unavailable', t('errors:bus.lost'), this.#lastError ?? undefined),
    );
    this.#rejectPending(error);
    this.#down();
  }

  #rejectPending(error: Error): void {
    for (const p of this.#pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.#pending.clear();
  }

  #down(): void {
    this.#setState('down');
    if (this.#closed || this.#retryTimer !== null) return;
    const delay = Math.min(
      this.#opts.backoffMaxMs,
      this.#opts.backoffInitialMs * 2 ** this.#attempt,
    );
    this.#attempt++;
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
    this.#retryTimer.unref();
  }

  #setState(state: BusState): void {
    if (this.#state === state && state !== 'up') return;
    this.#state = state;
    for (const l of this.#stateListeners) l(state);
  }

  async #addMatchNow(rule: string): Promise<void> {
    await this.call({
      destination: 'org.freedesktop.DBus',
      path: '/org/freedesktop/DBus',
      interface: 'org.freedesktop.DBus',
      member: 'AddMatch',
      signature: 's',
      body: [rule],
    });
  }

  call(req: CallRequest, timeoutMs = this.#opts.callTimeoutMs): Promise<unknown[]> {
    const bus = this.#bus;
    if (bus === null || this.#closed) {
      return Promise.reject(
        new AppFailure(
          appError('bus-unavailable', t('errors:bus.retrying'), this.#lastError ?? undefined),
        ),
      );
    }
    return new Promise<unknown[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(pending);
        reject(
          new AppFailure(
            appError(
              'timeout',
              t('errors:bus.noAnswer', {
                member: req.member,
                seconds: Math.round(timeoutMs / 1000),
              }),
            ),
          ),
        );
      }, timeoutMs);
      const pending: Pending = { reject, timer };
      this.#pending.add(pending);
      const msg = new dbus.Message({
        destination: req.destination,
        path: req.path,
        interface: req.interface,
        member: req.member,
        ...(req.signature !== undefined ? { signature: req.signature, body: req.body ?? [] } : {}),
      });
      bus.call(msg).then(
        (reply) => {
          clearTimeout(timer);
          this.#pending.delete(pending);
          resolve(reply === null ? [] : (normalise(reply.body) as unknown[]));
        },
        (err: unknown) => {
          clearTimeout(timer);
          this.#pending.delete(pending);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  async addMatch(rule: string): Promise<void> {
    if (!this.#matches.includes(rule)) this.#matches.push(rule);
    if (this.#state === 'up') await this.#addMatchNow(rule);
  }

  onSignal(listener: (signal: BusSignal) => void): () => void {
    this.#signalListeners.add(listener);
    return () => this.#signalListeners.delete(listener);
  }

  onState(listener: (state: BusState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    const bus = this.#bus;
    this.#bus = null;
    this.#rejectPending(new AppFailure(appError('bus-unavailable', t('errors:bus.closed'))));
    if (bus !== null) {
      try {
        bus.disconnect();
      } catch (err) {
        this.#lastError = String(err);
      }
    }
    this.#setState('down');
  }
}
