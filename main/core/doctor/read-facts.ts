// Reads the facts "Will it start?" judges, changing nothing: every read goes through the Host seam
// and the startup area's own services (CronService, AutostartService, Linger).
//
// Relies on (systemd 252, PLATFORM-NOTES):
// - what is enabled is what `systemctl --user enable` linked into `TARGET.wants/` (and
//   `.requires/`) in the user unit folder: read from disk, no bus needed;
// - the units' loaded state, Exec* commands, WorkingDirectory=, NeedDaemonReload and the targets'
//   states come over D-Bus (unit-bus.ts): no child process per check;
// - `desktop-file-validate FILE...` checks many files in one run, one `FILE: error: ...` per line;
//   it runs only for files that changed (size, mtime) since it last checked them;
// - crontab(1) refuses users per /etc/cron.allow, then /etc/cron.deny (Debian's crontab(1));
// - crontab(1) installs by renaming into the spool folder and touching it, and cron reloads when
//   that folder's mtime changes: the crontab's text is kept while it does not (CrontabStore).
//
// Facts that do not change between checks are kept, each with what says it is still true: a
// unit's loaded properties with systemd's reload time and the unit's state (unit-bus.ts), a
// desktop file's parse and validation with its size and mtime, the user units' commands with
// the folder's listing and every file's size and mtime, a program's libraries with its own.
import {
  autostartStarterWords,
  cronStarterWords,
  unitStarterWords,
} from '../autostart/how-it-starts.js';
import { join } from 'node:path';
import type { GuiGuess } from '../model/doctor.js';
import type { AutostartState, CronState } from '../model/startup.js';
import { findProgram } from '../host/find-program.js';
import type { FileInfo, Host } from '../host/host.js';
import type { CronService } from '../cron/cron-service.js';
import { defaultCronAtBoot } from '../cron/cron-service.js';
import { cronSplit } from '../cron/cron-command.js';
import { autostartDirs, type AutostartService } from '../autostart/autostart-service.js';
import { DesktopEntry, effectiveState, parseExec } from '../autostart/desktop-entry.js';
import type { Linger } from '../autostart/linger.js';
import { readUserUnits, userUnitDir } from '../autostart/startup-service.js';
import type { UnitStarter } from '../autostart/startup-service.js';
import type { Bus } from '../systemd/bus.js';
import {
  type AutostartFact,
  type CronFact,
  type CronLineFact,
  type DoctorFacts,
  type EnvFact,
  type ProgramFact,
  type StarterFact,
  type TargetFact,
  type UnitFact,
} from './facts.js';
import { guessGui, readElfNeeded } from './gui-guess.js';
import { UnitBusReader, type UnitRecord } from './unit-bus.js';
import { FolderWatch } from './folder-watch.js';

/** cron's PATH for jobs (crontab(5), Debian). */
const CRON_PATH = '/usr/bin:/bin';
/** Where systemd looks for an Exec line's bare program name (systemd.exec(5), "Command lines"). */
const SYSTEMD_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin';
/** Larger programs are not read for their libraries (Electron apps are on the known list). */
const ELF_READ_LIMIT = 48 * 1024 * 1024;

export interface FactsReaderOptions {
  host: Host;
  cron: CronService | null;
  autostart: AutostartService | null;
  linger: Pick<Linger, 'lingering'> | null;
  /** The user's own word on which programs are GUI programs. */
  marks: () => ReadonlyMap<string, boolean>;
  /** Whether cron starts at boot; default: read from the system's unit links. */
  cronAtBoot?: () => Promise<boolean | null>;
  /** /etc/cron.allow and /etc/cron.deny (tests point them elsewhere). */
  cronAccessFiles?: { allow: string; deny: string };
  /** The user cron knows (default: $USER, else $LOGNAME). */
  user?: string;
  /** The session bus systemd is asked on; null when there is none. */
  bus: () => Promise<Bus | null>;
}

interface UnitListing {
  names: string[];
  wantedBy: Map<string, string[]>;
  token: string | null;
}

/** What one check looks up once, however many entries ask: PATH lookups and GUI guesses. */
interface CheckCache {
  paths: Map<string, Promise<string | null>>;
  libs: Map<string, Promise<string[] | null>>;
}

/** Which entries to read: all of them, or one by its id. */
export type FactsScope = { all: true } | { id: string };

export class FactsReader {
  private readonly host: Host;
  private readonly opts: FactsReaderOptions;
  /** ELF libraries per program, keyed by path, size and mtime. */
  private readonly needed = new Map<string, string[] | null>();
  private readonly unitBus: UnitBusReader;
  /** Desktop files parsed and validated, keyed by path, with the size and mtime they had. */
  private readonly desktop = new Map<
    string,
    { stamp: string; entry: DesktopEntry; invalid: string[] }
  >();
  /** The user units' commands, with the watch token and file stamps they were read at. */
  private userUnits: { token: string | null; stamp: string; list: UnitStarter[] } | null = null;
  /** Watches the user unit folder and its `.wants/` folders (as last listed). */
  private readonly unitWatch = new FolderWatch();
  private unitFolders: string[] = [];
  /** Watches the autostart folders; the autostart list is kept while they do not change. */
  private readonly autostartWatch = new FolderWatch();
  private autostartRead: string | null = null;

  constructor(opts: FactsReaderOptions) {
    this.host = opts.host;
    this.opts = opts;
    this.unitBus = new UnitBusReader(opts.bus);
  }

  /** Stops watching folders. */
  close(): void {
    this.unitWatch.close();
    this.autostartWatch.close();
  }

  /** Forget what was kept from earlier checks (each kept fact also checks itself). */
  forget(): void {
    this.unitBus.forget();
    this.opts.cron?.store.forget();
    this.autostartRead = null;
    this.desktop.clear();
    this.userUnits = null;
    this.needed.clear();
  }

  /**
   * The file a start of `name` would run, searching `path` from HOME (where cron, the desktop
   * session and the user manager start programs): findProgram. Looked up once per check (`cache`
   * lives for one check: a program installed or removed shows at the next).
   */
  private resolve(name: string, path: string, cache: CheckCache): Promise<string | null> {
    const key = `${path}\0${name}`;
    let found = cache.paths.get(key);
    if (found === undefined) {
      found = findProgram(this.host, name, { path, cwd: this.host.env.HOME });
      cache.paths.set(key, found);
    }
    return found;
  }

  /** How a program is guessed to be a GUI program; its libraries are read once per size and mtime. */
  private async gui(
    program: string | null,
    marks: ReadonlyMap<string, boolean>,
    cache: CheckCache,
  ): Promise<GuiGuess | null> {
    if (program === null) return null;
    let libs = cache.libs.get(program);
    if (libs === undefined) {
      libs = program.startsWith('/') ? this.libraries(program) : Promise.resolve(null);
      cache.libs.set(program, libs);
    }
    return guessGui(program, await libs, marks);
  }

  private async libraries(program: string): Promise<string[] | null> {
    const st = await this.host.stat(program).catch(() => null);
    if (st === null || st.size === 0 || st.size > ELF_READ_LIMIT) return null;
    const key = `${program}\0${st.size}\0${st.mtimeMs}`;
    if (!this.needed.has(key)) {
      const bytes = await this.host.readOrNull(program).catch(() => null);
      // One entry per program: the one for its earlier size and mtime goes.
      for (const k of this.needed.keys()) if (k.startsWith(`${program}\0`)) this.needed.delete(k);
      this.needed.set(key, bytes === null ? null : readElfNeeded(bytes));
    }
    return this.needed.get(key) ?? null;
  }

  async read(scope: FactsScope = { all: true }): Promise<DoctorFacts & { unavailable: string[] }> {
    const unavailable: string[] = [];
    const marks = this.opts.marks();
    const cache: CheckCache = { paths: new Map(), libs: new Map() };
    const only = 'id' in scope ? scope.id : null;
    const kind = only === null ? null : only.slice(0, only.indexOf(':'));
    const linger = this.opts.linger?.lingering().catch(() => false) ?? Promise.resolve(false);
    const [units, cron, autostart] = await Promise.all([
      only === null || kind === 'systemd' ? this.units(only, marks, cache, unavailable) : null,
      only === null || kind === 'cron' ? this.cron(only, marks, cache, unavailable) : null,
      only === null || kind === 'autostart'
        ? this.autostart(only, marks, cache, unavailable)
        : null,
    ]);
    // The manager's environment matters only to a GUI program in a unit.
    const env = await this.env(units?.facts.some((u) => u.gui?.gui === true) ?? false, linger);
    // The checks across mechanisms need every starter, also for one entry.
    const starters = await this.starters(
      units?.starters ?? null,
      cron?.starters ?? null,
      autostart?.starters ?? null,
    );
    return {
      units: units?.facts ?? [],
      targets: units?.targets ?? {},
      cron: cron?.fact ?? null,
      autostart: autostart?.facts ?? [],
      env,
      starters: only === null ? starters : relatedTo(only, starters),
      unavailable,
    };
  }

  private async env(withManager: boolean, linger: Promise<boolean>): Promise<EnvFact> {
    const [systemdEnv, lingering] = await Promise.all([
      withManager ? this.unitBus.environment() : null,
      linger,
    ]);
    return {
      systemdEnv,
      lingering,
      desktops: (this.host.env.XDG_CURRENT_DESKTOP ?? '').split(':').filter((d) => d !== ''),
    };
  }

  private async units(
    only: string | null,
    marks: ReadonlyMap<string, boolean>,
    cache: CheckCache,
    unavailable: string[],
  ) {
    const dir = userUnitDir(this.host);
    const listing = await this.unitListing();
    const wantedBy = listing.wantedBy;
    // A link whose target is gone reads as missing (a mask's /dev/null reads as empty); for one
    // entry only its own file is looked at.
    const broken = new Set<string>();
    const own = only === null ? null : only.slice('systemd:'.length);
    const stats = new Map<string, FileInfo | null>();
    await Promise.all(
      listing.names
        .filter((n) => (own === null ? /\.(service|timer|socket|path|target)$/.test(n) : n === own))
        .map(async (n) => {
          const path = join(dir, n);
          const st = await this.host.stat(path).catch(() => null);
          stats.set(n, st);
          if (st?.kind === 'link' && (await this.host.readOrNull(path).catch(() => null)) === null)
            broken.add(n);
        }),
    );
    const list = own !== null ? [own] : [...new Set([...wantedBy.keys(), ...broken])].sort();
    const targets = [...new Set(list.flatMap((u) => wantedBy.get(u) ?? []))];
    const read = await this.unitBus.read(list, targets).catch(() => null);
    if (read === null) unavailable.push('systemd');
    const records = read?.records ?? new Map<string, UnitRecord>();
    // A timer's programs are those of the unit it triggers.
    const triggered = list
      .map((u) => records.get(u)?.show.Triggers?.split(' ')[0])
      .filter((x): x is string => x !== undefined && x !== '' && !records.has(x));
    if (triggered.length > 0 && read !== null) {
      const more = await this.unitBus.read(triggered, []).catch(() => null);
      for (const [k, v] of more?.records ?? []) records.set(k, v);
    }
    const facts: UnitFact[] = await Promise.all(
      list.map(async (unit): Promise<UnitFact> => {
        const rec = records.get(unit) ?? null;
        const s = rec?.show ?? null;
        const execSource = unit.endsWith('.timer')
          ? (records.get(s?.Triggers?.split(' ')[0] ?? '') ?? null)
          : rec;
        const programs: ProgramFact[] = await Promise.all(
          (execSource?.execs ?? []).map(async (e): Promise<ProgramFact> => ({
            from: e.from,
            path: e.path,
            ignoreErrors: e.ignore,
            runs: (await this.resolve(e.path, SYSTEMD_PATH, cache)) !== null,
          })),
        );
        const wdRaw = s?.WorkingDirectory ?? '';
        let workingDirectory: UnitFact['workingDirectory'] = null;
        if (wdRaw !== '' && wdRaw !== '!') {
          const optional = wdRaw.startsWith('!');
          const path = wdRaw.replace(/^!/, '').replace(/^~/, this.host.env.HOME ?? '~');
          const st = await this.host.stat(path);
          workingDirectory = { path, optional, exists: st !== null };
        }
        const main = programs.find((p) => p.from === 'ExecStart')?.path ?? null;
        const gui = await this.gui(main, marks, cache);
        // After= matters only to a GUI program (is it ordered after the graphical session?).
        if (gui?.gui === true && rec !== null) await this.unitBus.after(rec).catch(() => undefined);
        return {
          id: `systemd:${unit}`,
          unit,
          wantedBy: wantedBy.get(unit) ?? [],
          masked: s?.LoadState === 'masked' || s?.UnitFileState === 'masked',
          linkBroken: broken.has(unit),
          show: s,
          programs,
          workingDirectory,
          calendarTimer: unit.endsWith('.timer') && (s?.TimersCalendar ?? '') !== '',
          gui,
        };
      }),
    );
    const targetFacts: Record<string, TargetFact> = {};
    for (const tname of targets) {
      const s = read?.targets.get(tname);
      if (s) targetFacts[tname] = s;
      else if (read !== null)
        targetFacts[tname] = { loadState: 'not-found', activeState: 'inactive' };
    }
    const starters = await this.unitStarters(
      new Set(wantedBy.keys()),
      listing,
      own === null ? stats : null,
    );
    return { facts, targets: targetFacts, starters };
  }

  /**
   * The user unit folder's names and which targets' `.wants/`/`.requires/` link each unit, with
   * the folder watch's token from before they were read (null: not watched).
   */
  private async unitListing(): Promise<UnitListing> {
    const dir = userUnitDir(this.host);
    const token = await this.watchToken(this.unitWatch, dir, this.unitFolders);
    const names = await this.host.readdir(dir);
    const wantedBy = new Map<string, string[]>();
    const folders = [dir];
    const linked = await Promise.all(
      names.flatMap((n) => {
        const m = /^(.+)\.(wants|requires)$/.exec(n);
        if (!m) return [];
        folders.push(join(dir, n));
        return [this.host.readdir(join(dir, n)).then((us) => ({ target: m[1]!, us }))];
      }),
    );
    for (const { target, us } of linked)
      for (const u of us) wantedBy.set(u, [...(wantedBy.get(u) ?? []), target]);
    // A new .wants folder is watched from the next check on (its creation already changed the token).
    this.unitFolders = folders;
    return { names, wantedBy, token };
  }

  /**
   * The watch's token for `folders`, taken once every change made before this call has been
   * delivered (an I/O round trip, then the rest of that poll phase); null when not watched.
   */
  private async watchToken(
    watch: FolderWatch,
    probe: string,
    folders: readonly string[],
  ): Promise<string | null> {
    if (this.host.name !== 'local') return null;
    await this.host.stat(probe).catch(() => null);
    await new Promise((r) => setImmediate(r));
    return watch.token(folders);
  }

  /**
   * Enabled user units and their commands (wanted: the enabled ones, when already known). The
   * files are read again only when the watched folder changed and a file's size or mtime, or the
   * listing, did too.
   */
  private async unitStarters(
    wanted: ReadonlySet<string> | null,
    given?: UnitListing,
    known?: ReadonlyMap<string, FileInfo | null> | null,
  ): Promise<StarterFact[]> {
    const dir = userUnitDir(this.host);
    const listing = given ?? (await this.unitListing());
    const kept = this.userUnits;
    let list: UnitStarter[];
    if (listing.token !== null && kept?.token === listing.token) list = kept.list;
    else {
      const { names, wantedBy } = listing;
      const services = names.filter((n) => n.endsWith('.service'));
      const stats = await Promise.all(
        services.map((n) =>
          known?.has(n)
            ? Promise.resolve(known.get(n)!)
            : this.host.stat(join(dir, n)).catch(() => null),
        ),
      );
      const stamp = JSON.stringify([
        services.map((n, i) => `${n}:${stats[i]?.size ?? -1}:${stats[i]?.mtimeMs ?? -1}`),
        [...wantedBy].sort(),
      ]);
      list = kept?.stamp === stamp ? kept.list : await readUserUnits(this.host, dir);
      this.userUnits = { token: listing.token, stamp, list };
    }
    return list
      .filter((x) => (wanted === null ? x.enabled : wanted.has(x.unit)))
      .map((x) => ({
        id: `systemd:${x.unit}`,
        mechanism: 'systemd',
        argv: x.argv,
        words: () => unitStarterWords(x.unit, true),
      }));
  }

  private async cronAccess(): Promise<CronFact['access']> {
    const files = this.opts.cronAccessFiles ?? { allow: '/etc/cron.allow', deny: '/etc/cron.deny' };
    const user = this.opts.user ?? this.host.env.USER ?? this.host.env.LOGNAME ?? '';
    const names = (b: Buffer) =>
      b
        .toString('utf8')
        .split('\n')
        .map((l) => l.trim());
    const allow = await this.host.readOrNull(files.allow).catch(() => null);
    if (allow !== null) return { allowed: names(allow).includes(user), why: files.allow };
    const deny = await this.host.readOrNull(files.deny).catch(() => null);
    if (deny !== null) return { allowed: !names(deny).includes(user), why: files.deny };
    return { allowed: true, why: null };
  }

  private async cron(
    only: string | null,
    marks: ReadonlyMap<string, boolean>,
    cache: CheckCache,
    unavailable: string[],
  ) {
    if (this.opts.cron === null) return null;
    // The text of the last `crontab -l` while cron's spool folder says nothing was installed
    // since (CrontabStore.readCached says what that can miss); cron's processes are seen anew.
    const state = await this.opts.cron.list({ reuse: true });
    if (!state.ok || !state.value.installed) {
      unavailable.push('cron');
      return null;
    }
    const s = state.value;
    const reboot = s.jobs.filter((j) => j.reboot && (only === null || j.id === only));
    const cronPath = s.env.findLast((e) => e.name === 'PATH')?.value ?? CRON_PATH;
    const lines: CronLineFact[] = await Promise.all(
      reboot.map(async (j): Promise<CronLineFact> => {
        const name = j.argv?.[0] ?? null;
        let program: CronLineFact['program'] = null;
        if (name !== null) {
          const onCron = await this.resolve(name, cronPath, cache);
          const user = onCron ?? (await this.resolve(name, this.host.env.PATH ?? CRON_PATH, cache));
          program = {
            name,
            onCronPath: onCron !== null,
            resolved: onCron === null ? user : onCron,
          };
        }
        return {
          id: j.id,
          key: j.key,
          line: j.line,
          command: j.command,
          argv: j.argv,
          enabled: j.enabled,
          percent: cronSplit(j.command).stdin !== null,
          program,
          gui: await this.gui(program?.resolved ?? name, marks, cache),
        };
      }),
    );
    const needsMore = lines.some((l) => l.enabled);
    const fact: CronFact = {
      readable: true,
      running: s.running,
      atBoot: needsMore
        ? await (this.opts.cronAtBoot ?? (() => defaultCronAtBoot(this.host)))()
        : null,
      access: needsMore ? await this.cronAccess() : { allowed: true, why: null },
      lines,
    };
    const starters = cronStarters(s);
    return { fact, starters };
  }

  private async autostart(
    only: string | null,
    marks: ReadonlyMap<string, boolean>,
    cache: CheckCache,
    unavailable: string[],
  ) {
    const service = this.opts.autostart;
    if (service === null) return null;
    // One entry: the list the service has is good while nothing changed in the folders since the
    // doctor last had it read them.
    const dirs = autostartDirs(this.host);
    const token = await this.watchToken(this.autostartWatch, dirs.user, [
      dirs.user,
      ...dirs.system,
    ]);
    const kept =
      only !== null && token !== null && token === this.autostartRead ? service.cached() : null;
    const state = kept?.ok ? kept : await service.list();
    this.autostartRead = state.ok ? token : null;
    if (!state.ok) {
      unavailable.push('autostart');
      return null;
    }
    const items = state.value.items.filter((i) => only === null || i.id === only);
    const path = this.host.env.PATH ?? CRON_PATH;
    const files = await this.desktopFiles(items.map((i) => i.path));
    const program = async (from: string, name: string | null): Promise<ProgramFact | null> =>
      name === null || name === ''
        ? null
        : {
            from,
            path: name,
            ignoreErrors: false,
            runs: (await this.resolve(name, path, cache)) !== null,
          };
    const facts: AutostartFact[] = await Promise.all(
      items.map(async (i): Promise<AutostartFact> => {
        const file = files.get(i.path);
        const entry = file?.entry ?? DesktopEntry.parse('');
        const argv = parseExec(entry.get('Exec') ?? '');
        const st = effectiveState(entry, state.value.desktops, () => true);
        const [exec, tryExec] = await Promise.all([
          program('Exec', argv?.[0] ?? null),
          program('TryExec', entry.get('TryExec')),
        ]);
        return {
          id: i.id,
          file: i.file,
          name: i.name,
          path: i.path,
          origin: i.origin,
          overrides: i.overrides,
          hidden: st.hidden,
          notThisDesktop: st.reasons.includes('not-in-this-desktop'),
          gnomeDisabled: entry.get('X-GNOME-Autostart-enabled')?.trim() === 'false',
          argv,
          exec,
          tryExec,
          invalid: file?.invalid ?? [],
          gui: null,
        };
      }),
    );
    const starters = autostartStarters(state.value);
    return { facts, starters };
  }

  /**
   * Desktop files parsed, with desktop-file-validate's errors: a file is read and validated again
   * only when its size or mtime changed (a link, whose own stamp says nothing of its target,
   * every time).
   */
  private async desktopFiles(
    paths: string[],
  ): Promise<Map<string, { entry: DesktopEntry; invalid: string[] }>> {
    const stats = await Promise.all(paths.map((p) => this.host.stat(p).catch(() => null)));
    const stamps = stats.map((st) =>
      st === null || st.kind === 'link' ? null : `${st.size}:${st.mtimeMs}`,
    );
    const stale = paths.filter(
      (p, i) => stamps[i] === null || this.desktop.get(p)?.stamp !== stamps[i],
    );
    const out = new Map<string, { entry: DesktopEntry; invalid: string[] }>();
    if (stale.length > 0) {
      const [texts, invalid] = await Promise.all([
        Promise.all(stale.map((p) => this.host.readOrNull(p).catch(() => null))),
        this.validate(stale),
      ]);
      stale.forEach((p, i) => {
        const entry = DesktopEntry.parse(texts[i]?.toString('utf8') ?? '');
        const stamp = stamps[paths.indexOf(p)] ?? null;
        const kept = { stamp: stamp ?? '', entry, invalid: invalid.get(p) ?? [] };
        if (stamp !== null) this.desktop.set(p, kept);
        else this.desktop.delete(p);
        out.set(p, kept);
      });
    }
    for (const p of paths) if (!out.has(p) && this.desktop.has(p)) out.set(p, this.desktop.get(p)!);
    return out;
  }

  /** desktop-file-validate's errors per file, in one run; none when it is not installed. */
  private async validate(paths: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (paths.length === 0) return out;
    const r = await this.host
      .run(['desktop-file-validate', '--no-hints', '--no-warn-deprecated', ...paths], {
        timeoutMs: 15_000,
      })
      .catch(() => null);
    if (r === null || r.spawnError !== null) return out;
    for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
      const m = /^(.+?): error: (.+)$/.exec(line);
      if (m && paths.includes(m[1]!)) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
    }
    return out;
  }

  /** Starters of every mechanism; a mechanism not read for this scope is read here. */
  private async starters(
    units: StarterFact[] | null,
    cron: StarterFact[] | null,
    autostart: StarterFact[] | null,
  ): Promise<StarterFact[]> {
    const u: StarterFact[] = units ?? (await this.unitStarters(null));
    let c: StarterFact[] = cron ?? [];
    // For one entry, the state the app keeps fresh (the monitor re-reads it) is recent enough.
    if (cron === null && this.opts.cron !== null) {
      const r = this.opts.cron.cached() ?? (await this.opts.cron.list());
      if (r.ok) c = cronStarters(r.value);
    }
    let a: StarterFact[] = autostart ?? [];
    if (autostart === null && this.opts.autostart !== null) {
      const r = this.opts.autostart.cached() ?? (await this.opts.autostart.list());
      if (r.ok) a = autostartStarters(r.value);
    }
    return [...u, ...c, ...a];
  }
}

/** Starters of a cron or autostart state, worked out once per state object. */
const startersOf = new WeakMap<object, StarterFact[]>();

function cronStarters(s: CronState): StarterFact[] {
  let out = startersOf.get(s);
  if (out === undefined) {
    out = s.jobs
      .filter((j) => j.reboot && j.enabled)
      .map((j) => ({
        id: j.id,
        mechanism: 'cron',
        argv: j.argv,
        words: () => cronStarterWords(j.line),
      }));
    startersOf.set(s, out);
  }
  return out;
}

function autostartStarters(s: AutostartState): StarterFact[] {
  let out = startersOf.get(s);
  if (out === undefined) {
    out = s.items
      .filter((i) => i.effective)
      .map((i) => ({
        id: i.id,
        mechanism: 'xdg-autostart',
        argv: i.argv,
        words: () => autostartStarterWords(i.name, i.file),
      }));
    startersOf.set(s, out);
  }
  return out;
}

const same = (a: readonly string[] | null, b: readonly string[] | null) =>
  a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]);

/** For one entry: it and the starters that run the same command (the others say nothing new). */
function relatedTo(id: string, starters: StarterFact[]): StarterFact[] {
  const me = starters.find((s) => s.id === id);
  return me === undefined ? [] : starters.filter((s) => s.id === id || same(s.argv, me.argv));
}
