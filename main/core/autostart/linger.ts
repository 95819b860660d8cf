// Linger: whether the user's systemd manager (and so their enabled user services) starts at boot
// without a login and keeps running after logout.
//
// Relies on systemd-logind (PLATFORM-NOTES):
// - state: logind keeps one file per lingering user in /var/lib/systemd/linger/ (what loginctl
//   and the User object's Linger property report), so reading needs no bus;
// - change: org.freedesktop.login1.Manager.SetUserLinger(uid, enable, interactive) on the system
//   bus (Debian's polkit policy lets a user set their own linger); when the system bus or logind
//   is not there, fall back to `loginctl enable-linger|disable-linger USER`; when neither works,
//   say so plainly instead of pretending.
// dbus-next has no call timeout (PLATFORM-NOTES): the call is raced against one.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import dbus from 'dbus-next';
import type { Result } from '../model/domain.js';
import type { LingerState } from '../model/startup.js';
import { fail, ok } from '../errors.js';
import type { Host } from '../host/host.js';
import { createLocalHost } from '../host/local-host.js';
import { deadline } from '../deadline.js';
import { t } from '../../../i18n/index.js';

/** What loginctl answered; spawnError 'ENOENT' when it is not installed. */
export interface LoginctlResult {
  code: number;
  stdout: string;
  stderr: string;
  spawnError?: string | null;
}

export interface LingerOptions {
  user?: string;
  uid?: number;
  lingerDir?: string;
  /** The machine (its files, loginctl); default this one, in `env`. */
  host?: Host;
  env?: NodeJS.ProcessEnv;
  /** SetUserLinger over the system bus; throws when logind cannot be reached. */
  login1?: (uid: number, enable: boolean) => Promise<void>;
  /** Run loginctl (default: through the host). */
  loginctl?: (args: string[]) => Promise<LoginctlResult>;
  /** Whether a system bus socket exists (skips the login1 attempt when not). */
  systemBusAvailable?: () => boolean | Promise<boolean>;
}

function systemBusAddress(env: NodeJS.ProcessEnv): string {
  return env.DBUS_SYSTEM_BUS_ADDRESS ?? 'unix:path=/run/dbus/system_bus_socket';
}

export async function login1SetUserLinger(
  uid: number,
  enable: boolean,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 5000,
): Promise<void> {
  const bus = dbus.systemBus({ busAddress: systemBusAddress(env) } as never);
  try {
    const call = bus.call(
      new dbus.Message({
        destination: 'org.freedesktop.login1',
        path: '/org/freedesktop/login1',
        interface: 'org.freedesktop.login1.Manager',
        member: 'SetUserLinger',
        signature: 'ubb',
        body: [uid, enable, false],
      }),
    );
    const failed = new Promise<never>((_, reject) => bus.on('error', reject));
    await deadline(
      Promise.race([call, failed]),
      timeoutMs,
      () => new Error('logind did not answer in time'),
    );
  } finally {
    bus.disconnect();
  }
}

export class Linger {
  private readonly host: Host;
  private readonly user: string;
  private readonly uid: number;
  private readonly lingerDir: string;
  private readonly login1: (uid: number, enable: boolean) => Promise<void>;
  private readonly loginctl: (args: string[]) => Promise<LoginctlResult>;
  private readonly systemBusAvailable: () => boolean | Promise<boolean>;

  constructor(opts: LingerOptions = {}) {
    const host = opts.host ?? createLocalHost(opts.env ?? process.env);
    const env = host.env;
    this.host = host;
    const info = opts.user === undefined || opts.uid === undefined ? userInfo() : null;
    this.user = opts.user ?? info!.username;
    this.uid = opts.uid ?? info!.uid;
    this.lingerDir = opts.lingerDir ?? '/var/lib/systemd/linger';
    this.login1 = opts.login1 ?? ((uid, enable) => login1SetUserLinger(uid, enable, env));
    this.loginctl =
      opts.loginctl ??
      ((args) =>
        host.run(['loginctl', ...args], { env: { ...env, LC_ALL: 'C' }, timeoutMs: 10_000 }));
    this.systemBusAvailable =
      opts.systemBusAvailable ??
      (async () => {
        const m = /^unix:path=(.+)$/.exec(systemBusAddress(env));
        return m ? (await host.stat(m[1]!)) !== null : true;
      });
  }

  async lingering(): Promise<boolean> {
    return (await this.host.stat(join(this.lingerDir, this.user))) !== null;
  }

  async get(): Promise<Result<LingerState>> {
    return ok({
      user: this.user,
      lingering: await this.lingering(),
      explanation: t('startup:linger.explanationFull'),
      method: (await this.systemBusAvailable()) ? 'login1' : 'loginctl',
    });
  }

  async set(enable: boolean): Promise<Result<LingerState>> {
    const problems: string[] = [];
    if (await this.systemBusAvailable()) {
      try {
        await this.login1(this.uid, enable);
        return await this.get();
      } catch (err) {
        const name = (err as { type?: unknown }).type;
        if (name === 'org.freedesktop.DBus.Error.AccessDenied')
          return fail(
            'access-denied',
            t('errors:autostart.lingerDenied', { user: this.user }),
            String(err),
          );
        problems.push(`logind: ${err instanceof Error ? err.message : String(err)}`);
      }
    } else {
      problems.push('logind: no system bus');
    }
    try {
      const r = await this.loginctl([enable ? 'enable-linger' : 'disable-linger', this.user]);
      if (r.code === 0) return await this.get();
      problems.push(
        r.spawnError === 'ENOENT'
          ? 'loginctl: not installed'
          : `loginctl: ${r.stderr.trim().split('\n')[0] || `exit status ${r.code}`}`,
      );
    } catch (err) {
      problems.push(
        (err as { code?: unknown }).code === 'ENOENT'
          ? 'loginctl: not installed'
          : `loginctl: ${String(err)}`,
      );
    }
    return fail(
      'unsupported',
      t(enable ? 'errors:autostart.lingerOnFailed' : 'errors:autostart.lingerOffFailed', {
        problems: problems.join('; '),
      }),
      problems.join('\n'),
    );
  }
}
