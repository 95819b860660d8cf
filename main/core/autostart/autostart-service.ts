// XDG autostart entries: the user's ~/.config/autostart and the system folders it overrides.
//
// Relies on the Desktop Application Autostart Specification 0.5: autostart folders are
// $XDG_CONFIG_HOME/autostart then each $XDG_CONFIG_DIRS/autostart (default /etc/xdg); a file in an
// earlier folder hides the same-named file in later ones; Hidden=true means "do not start".
// So disabling a system entry writes a user copy with Hidden=true, and enabling it again removes
// that copy when nothing else differs. Everything is written atomically (temp file + rename),
// each change under the file's store lock (store/file-store.ts), and add never replaces a file
// that is there; removed user files are kept in $XDG_DATA_HOME/daemon-deck/autostart-backups.
// One name rule: the name given to add is turned into its file name by fileNameFor, and every
// command that takes a name (enable, disable, rm) finds the file the same way, or by its exact
// file name or its id (autostart:FILE).
// systemd's xdg-autostart-generator (the GNOME/KDE session path on systemd) ignores
// X-GNOME-Autostart-enabled (PLATFORM-NOTES), so the app writes Hidden= only.
// Files are re-read on every list(); fs.watch on the user folder tells the monitor about changes.
import { watch, type FSWatcher } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionOutcome, Entry, EntryAction, Result, SourceStatus } from '../model/domain.js';
import type {
  AutostartItem,
  AutostartState,
  SelfAutostart,
  StartupNotice,
} from '../model/startup.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, fail, ok, toAppError } from '../errors.js';
import { findProgram } from '../host/find-program.js';
import type { Host } from '../host/host.js';
import { createLocalHost } from '../host/local-host.js';
import { createPollTimer, type PollingSource } from '../monitor/poll-timer.js';
import { appDirs } from '../xdg.js';
import { listProcesses, RunningIndex, type ProcessLister } from '../cron/proc-list.js';
import { DesktopEntry, effectiveState, execLine, parseExec } from './desktop-entry.js';

export const SELF_FILE = 'daemon-deck.desktop';

export interface AutostartOptions {
  /** The machine whose autostart folders these are; default this one, in `env`. */
  host?: Host;
  env?: NodeJS.ProcessEnv;
  processes?: ProcessLister;
  /** The command that starts this app: [$APPIMAGE] for an AppImage, else the absolute binary. */
  selfCommand?: string[];
}

/** The app's own Exec: `$APPIMAGE` when running from an AppImage, else the absolute executable. */
export function selfCommand(
  env: NodeJS.ProcessEnv,
  execPath: string,
  args: string[] = [],
): string[] {
  if (env.APPIMAGE && env.APPIMAGE.startsWith('/')) return [env.APPIMAGE, ...args];
  return [execPath, ...args];
}

export function autostartDirs(host: Pick<Host, 'xdg'>): { user: string; system: string[] } {
  return {
    user: join(host.xdg.config, 'autostart'),
    system: host.xdg.configDirs.map((d) => join(d, 'autostart')),
  };
}

/**
 * The file name for a name given to `autostart add` (and how enable, disable and rm find it
 * again): a trailing .desktop is dropped, the rest becomes lower-case words joined by '-', plus
 * .desktop. So "my notes" is my-notes.desktop and "x.desktop" stays x.desktop.
 */
export function fileNameFor(name: string): string {
  const slug = name
    .replace(/\.desktop$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'command'}.desktop`;
}

/** Whether `name` runs as the desktop session would start it: from HOME, on the host's PATH. */
async function programExists(host: Host, name: string): Promise<boolean> {
  return (await findProgram(host, name, { cwd: host.env.HOME })) !== null;
}

/** programExists for each name, answered synchronously from what was looked up first. */
async function programLookup(host: Host, names: Iterable<string>): Promise<(n: string) => boolean> {
  const found = new Map<string, boolean>();
  for (const n of new Set(names)) found.set(n, await programExists(host, n));
  return (n) => found.get(n) ?? false;
}

async function readDir(host: Host, dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of (await host.readdir(dir)).filter((x) => x.endsWith('.desktop')).sort()) {
    try {
      const bytes = await host.readOrNull(join(dir, n));
      if (bytes !== null) out.set(n, bytes.toString('utf8'));
    } catch {
      // Unreadable: not an entry we can show.
      continue;
    }
  }
  return out;
}

/** Turn a failed write (a full disk, a read-only folder) into an answer instead of a throw. */
async function answering<T>(fn: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await fn();
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}

export class AutostartService {
  private readonly host: Host;
  /** Whether the files are this machine's (another host's are not watched, only polled). */
  get local(): boolean {
    return this.host.name === 'local';
  }
  private readonly env: NodeJS.ProcessEnv;
  private readonly processes: ProcessLister;
  private readonly self: string[];
  readonly dirs: { user: string; system: string[] };
  private readonly listeners = new Set<() => void>();
  private last: Result<AutostartState> | null = null;

  constructor(opts: AutostartOptions = {}) {
    this.host = opts.host ?? createLocalHost(opts.env ?? process.env);
    this.env = this.host.env;
    this.processes = opts.processes ?? listProcesses;
    this.self = opts.selfCommand ?? selfCommand(this.env, process.execPath);
    this.dirs = autostartDirs(this.host);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  cached(): Result<AutostartState> | null {
    return this.last;
  }

  desktops(): string[] {
    return (this.env.XDG_CURRENT_DESKTOP ?? '').split(':').filter((d) => d !== '');
  }

  async list(): Promise<Result<AutostartState>> {
    let state: Result<AutostartState>;
    try {
      state = ok(await this.read());
    } catch (err) {
      const e = toAppError(err);
      state = fail(e.code, t('errors:autostart.couldNotRead', { reason: e.message }), e.detail);
    }
    const before = JSON.stringify(this.last);
    this.last = state;
    if (before !== JSON.stringify(state)) for (const l of this.listeners) l();
    return state;
  }

  private async read(): Promise<AutostartState> {
    const user = await readDir(this.host, this.dirs.user);
    const system = new Map<string, { path: string; text: string }>();
    for (const d of this.dirs.system) {
      for (const [n, text] of await readDir(this.host, d))
        if (!system.has(n)) system.set(n, { path: join(d, n), text });
    }
    // One index of who runs what for every entry (one per entry cost a pass over every process).
    const running = new RunningIndex(this.processes());
    const desktops = this.desktops();
    const names = [...new Set([...user.keys(), ...system.keys()])].sort();
    const parsed = new Map(
      names.map((f) => [f, DesktopEntry.parse(user.get(f) ?? system.get(f)!.text)] as const),
    );
    const exists = await programLookup(
      this.host,
      [...parsed.values()].flatMap((e) => [
        ...(e.get('TryExec') ? [e.get('TryExec')!] : []),
        ...(parseExec(e.get('Exec') ?? '')?.slice(0, 1) ?? []),
      ]),
    );
    const items: AutostartItem[] = [];
    for (const file of names) {
      const u = user.get(file);
      const s = system.get(file);
      const path = u !== undefined ? join(this.dirs.user, file) : s!.path;
      const entry = parsed.get(file)!;
      const st = effectiveState(entry, desktops, exists);
      const exec = entry.get('Exec') ?? '';
      const argv = parseExec(exec);
      const notices: StartupNotice[] = [];
      if (st.reasons.includes('hidden'))
        notices.push({ code: 'hidden', severity: 'info', message: t('startup:notice.hidden') });
      if (st.reasons.includes('not-in-this-desktop'))
        notices.push({
          code: 'not-in-this-desktop',
          severity: 'info',
          message: t('startup:notice.notInThisDesktop', {
            desktops: desktops.join(':') || t('startup:notice.unknownDesktop'),
          }),
        });
      if (st.reasons.includes('try-exec-missing'))
        notices.push({
          code: 'try-exec-missing',
          severity: 'warning',
          message: t('startup:notice.tryExecMissing', { program: entry.get('TryExec') ?? '' }),
        });
      if (argv && !argv[0]!.startsWith('/') && !exists(argv[0]!))
        notices.push({
          code: 'relative-path',
          severity: 'warning',
          message: t('startup:notice.notInPath', { program: argv[0]! }),
        });
      if (argv?.some((a) => a.includes('\\')))
        notices.push({
          code: 'backslash-in-exec',
          severity: 'warning',
          message: t('startup:notice.backslash'),
        });
      items.push({
        file,
        id: `autostart:${file}`,
        name: entry.get('Name') ?? file.replace(/\.desktop$/, ''),
        comment: entry.get('Comment') ?? '',
        exec,
        argv,
        path,
        origin: u === undefined ? 'system' : s === undefined ? 'user' : 'user-override',
        overrides: u !== undefined && s !== undefined ? s.path : null,
        effective: st.effective,
        enabled: !st.hidden,
        ours: entry.get('X-Daemon-Deck') === 'true',
        pids: argv ? running.pids(argv, null) : [],
        notices,
      });
    }
    const selfItem = items.find((i) => i.file === SELF_FILE);
    return {
      userDir: this.dirs.user,
      systemDirs: this.dirs.system,
      desktops,
      items,
      self: {
        enabled: selfItem?.effective ?? false,
        file: join(this.dirs.user, SELF_FILE),
        exec: selfItem?.exec ?? execLine(this.self),
      },
    };
  }

  /**
   * The entry a name finds: its id (autostart:FILE), its exact file name, or the name given to
   * add (fileNameFor): the name that created an entry always finds it again.
   */
  private async item(name: string): Promise<Result<AutostartItem>> {
    const s = await this.list();
    if (!s.ok) return s;
    const bare = name.startsWith('autostart:') ? name.slice('autostart:'.length) : name;
    const it =
      s.value.items.find((i) => i.file === bare) ??
      s.value.items.find((i) => i.file === fileNameFor(bare));
    return it
      ? ok(it)
      : fail(
          'invalid-input',
          t('errors:autostart.noEntry', {
            name: bare,
            file: fileNameFor(bare),
            dir: this.dirs.user,
          }),
        );
  }

  /** Write a new user autostart file for an argument list. Refuses to replace an existing one. */
  add(
    name: string,
    argv: string[],
    opts: { comment?: string; file?: string; allowRelative?: boolean } = {},
  ): Promise<Result<AutostartItem>> {
    return answering(async () => {
      if (argv.length === 0 || argv[0] === '')
        return fail('invalid-input', t('errors:autostart.noCommand'));
      if (
        !argv[0]!.startsWith('/') &&
        !opts.allowRelative &&
        !(await programExists(this.host, argv[0]!))
      )
        return fail('invalid-input', t('errors:autostart.notFound', { program: argv[0]! }));
      if (argv.some((a) => /[\n\r\0]/.test(a)))
        return fail('invalid-input', t('errors:autostart.argumentBreak'));
      const file = opts.file ?? fileNameFor(name);
      const path = join(this.dirs.user, file);
      const values: Array<[string, string]> = [
        ['Type', 'Application'],
        ['Name', name.replace(/\.desktop$/i, '') || name],
      ];
      if (opts.comment) values.push(['Comment', opts.comment]);
      values.push(['Exec', execLine(argv)], ['X-Daemon-Deck', 'true']);
      try {
        // Under the file's lock, and never over a file that is there (another add of the same
        // name a moment earlier, or the user's own file).
        await this.host.createFile(path, DesktopEntry.create(values).toString());
      } catch (err) {
        if (err instanceof AppFailure && err.error.code === 'conflict')
          return fail('conflict', t('errors:autostart.exists', { file, path }));
        throw err;
      }
      return this.item(file);
    });
  }

  /** Turn an entry on or off with Hidden=, as a user override for a system entry. */
  setEnabled(name: string, enabled: boolean): Promise<Result<AutostartItem>> {
    return answering(async () => {
      const found = await this.item(name);
      if (!found.ok) return found;
      const { file } = found.value;
      const userPath = join(this.dirs.user, file);
      await this.host.withLock(userPath, async () => {
        // Read again under the lock: the file may have changed since the list above.
        const current = await this.item(file);
        if (!current.ok) throw new AppFailure(current.error);
        const it = current.value;
        const systemText =
          it.origin === 'user'
            ? null
            : (await this.host.readFile(it.overrides ?? it.path)).toString('utf8');
        const base =
          it.origin === 'system'
            ? systemText!
            : (await this.host.readFile(userPath)).toString('utf8');
        let doc = DesktopEntry.parse(base);
        if (enabled) {
          doc = doc.delete('Hidden');
          if (systemText !== null && DesktopEntry.parse(systemText).bool('Hidden'))
            doc = doc.set('Hidden', 'false');
        } else {
          doc = doc.set('Hidden', 'true');
        }
        const text = doc.toString();
        if (systemText !== null && text === systemText) await this.host.remove(userPath);
        else if (text !== base || it.origin === 'system')
          await this.host.writeFileAtomic(userPath, text);
      });
      return this.item(file);
    });
  }

  /** Remove a user autostart file (kept as a backup). System files cannot be removed, only disabled. */
  remove(name: string): Promise<Result<null>> {
    return answering(async () => {
      const current = await this.item(name);
      if (!current.ok) return current;
      const { file, origin, path } = current.value;
      if (origin === 'system')
        return fail('access-denied', t('errors:autostart.systemEntry', { file, path }));
      const userPath = join(this.dirs.user, file);
      const backup = join(
        appDirs(this.env).data,
        'autostart-backups',
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${file}`,
      );
      await this.host.withLock(userPath, async () => {
        // The backup is on disk before the file goes: a failure leaves the file where it was.
        await this.host.writeFileAtomic(backup, await this.host.readFile(userPath));
        await this.host.remove(userPath);
      });
      await this.list();
      return ok(null);
    });
  }

  /** The app's own "Start Daemon Deck at login" entry. */
  setSelf(enabled: boolean): Promise<Result<SelfAutostart>> {
    return answering(async () => {
      const path = join(this.dirs.user, SELF_FILE);
      const values: Array<[string, string]> = [
        ['Type', 'Application'],
        ['Name', 'Daemon Deck'],
        ['Comment', 'Everything you keep running in the background'],
        ['Exec', execLine(this.self)],
        ['Icon', 'daemon-deck'],
        ['Terminal', 'false'],
        ['X-Daemon-Deck', 'true'],
      ];
      await this.host.withLock(path, () =>
        enabled
          ? this.host.writeFileAtomic(path, DesktopEntry.create(values).toString())
          : this.host.remove(path),
      );
      const s = await this.list();
      if (!s.ok) return s;
      return ok(s.value.self);
    });
  }
}

export function autostartEntry(it: AutostartItem): Entry {
  const running = it.pids.length > 0;
  return {
    id: it.id,
    kind: 'autostart',
    name: it.name,
    description: it.comment || it.exec,
    state: running ? 'running' : 'stopped',
    subState: it.effective ? 'at login' : it.enabled ? 'not on this desktop' : 'disabled',
    autostart: {
      enabled: it.effective,
      via: it.effective ? ['xdg-autostart'] : [],
      state: it.effective ? 'enabled' : 'disabled',
    },
    pids: it.pids,
    cpu: null,
    memory: null,
    since: null,
    restarts: 0,
    actions: [it.enabled ? 'disable' : 'enable'],
    // A file of a system folder is the system's; the user's own and the user's overrides are theirs.
    origin: it.origin === 'system' ? 'system' : 'user',
  };
}

/** Autostart files as monitor entries (`autostart:FILE`), refreshed on fs.watch and every pollMs. */
export function createAutostartSource(
  service: AutostartService,
  opts: { pollMs?: number } = {},
): PollingSource {
  let watcher: FSWatcher | null = null;
  let pending: Promise<unknown> = Promise.resolve();
  const refresh = () => (pending = service.list());
  // On the shared poll clock (poll-timer.ts): its 30 s ticks wake the core with the 2 s ones.
  const timer = createPollTimer(() => void refresh(), opts.pollMs ?? 30_000);
  const entries = (): Entry[] => {
    const s = service.cached();
    return s && s.ok ? s.value.items.map(autostartEntry) : [];
  };
  return {
    name: 'autostart',
    prefixes: ['autostart:'],
    get intervalMs() {
      return timer.intervalMs;
    },
    setIntervalMs: (ms) => timer.setIntervalMs(ms),
    async start() {
      await refresh();
      timer.start();
      // fs.watch sees this machine's files only: another host's folder is polled (issue 17).
      if (!service.local) return;
      try {
        await mkdir(service.dirs.user, { recursive: true });
        watcher = watch(service.dirs.user, () => void refresh());
        watcher.on('error', () => watcher?.close());
      } catch {
        // No watch: the poll still catches changes.
        watcher = null;
      }
    },
    stop() {
      timer.stop();
      watcher?.close();
      watcher = null;
      return Promise.resolve();
    },
    async settled() {
      await pending;
    },
    entries,
    status(): SourceStatus {
      const s = service.cached();
      if (s === null) return { status: 'connecting' };
      return s.ok ? { status: 'ok' } : { status: 'unavailable', error: s.error };
    },
    onChange: (l) => service.onChange(l),
    async act(id: string, action: EntryAction): Promise<Result<ActionOutcome>> {
      if (action !== 'enable' && action !== 'disable')
        return fail('unsupported', t('errors:autostart.onlyToggle', { action }));
      const r = await service.setEnabled(id.slice('autostart:'.length), action === 'enable');
      if (!r.ok) return r;
      return ok({ id, action, result: 'ok', entry: autostartEntry(r.value) });
    },
  };
}
