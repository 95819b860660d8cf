// Reads the facts "Will it start?" judges, changing nothing: every read goes through the Host seam
// and the startup area's own services (CronService, AutostartService, Linger).
//
// Relies on (systemd 252, PLATFORM-NOTES):
// - what is enabled is what `systemctl --user enable` linked into `TARGET.wants/` (and
//   `.requires/`) in the user unit folder: read from disk, no bus needed;
// - one `systemctl --user show -p ... UNIT... TARGET...` answers every unit's state, its loaded
//   Exec* commands (`{ path=... ; argv[]=... ; ignore_errors=yes|no ... }`), WorkingDirectory=
//   (`!` marks the `-` prefix), NeedDaemonReload and each target's LoadState/ActiveState in one
//   process; a target that does not exist answers LoadState=not-found. Units are separated by a
//   blank line and each block carries its Id=;
// - `systemctl --user show-environment` is the environment user services get;
// - `desktop-file-validate FILE...` checks many files in one run, one `FILE: error: ...` per line;
// - crontab(1) refuses users per /etc/cron.allow, then /etc/cron.deny (Debian's crontab(1)).
import {
  autostartStarterWords,
  cronStarterWords,
  unitStarterWords,
} from '../autostart/how-it-starts.js';
import { delimiter, join } from 'node:path';
import type { GuiGuess } from '../model/doctor.js';
import type { AutostartState, CronState } from '../model/startup.js';
import type { Host } from '../host/host.js';
import type { CronService } from '../cron/cron-service.js';
import { defaultCronAtBoot } from '../cron/cron-service.js';
import { cronSplit } from '../cron/cron-command.js';
import type { AutostartService } from '../autostart/autostart-service.js';
import { DesktopEntry, effectiveState, parseExec } from '../autostart/desktop-entry.js';
import type { Linger } from '../autostart/linger.js';
import { readUserUnits, userUnitDir } from '../autostart/startup-service.js';
import {
  parseEnvLines,
  parseShow,
  showExecs,
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
import { listUnits, userSystemctl } from './systemctl.js';

const SHOW_PROPS = [
  'Id',
  'LoadState',
  'ActiveState',
  'SubState',
  'Result',
  'UnitFileState',
  'NeedDaemonReload',
  'ExecCondition',
  'ExecStartPre',
  'ExecStart',
  'ExecStartPost',
  'WorkingDirectory',
  'After',
  'Triggers',
  'TimersCalendar',
  'FragmentPath',
];
const EXEC_PROPS = ['ExecCondition', 'ExecStartPre', 'ExecStart', 'ExecStartPost'];
/** cron's PATH for jobs (crontab(5), Debian). */
const CRON_PATH = '/usr/bin:/bin';
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
}

/** Which entries to read: all of them, or one by its id. */
export type FactsScope = { all: true } | { id: string };

export class FactsReader {
  private readonly host: Host;
  private readonly opts: FactsReaderOptions;
  /** ELF libraries per program, keyed by path, size and mtime. */
  private readonly needed = new Map<string, string[] | null>();
  /** `systemctl show` records from the last check, with the state and file stamps they had. */
  private readonly shown = new Map<string, { key: string; rec: Record<string, string> }>();

  constructor(opts: FactsReaderOptions) {
    this.host = opts.host;
    this.opts = opts;
  }

  private systemctl(args: string[]) {
    return userSystemctl(this.host, args, 15_000);
  }

  /** Exists and executable: an absolute path, or a name found on `path`. */
  private async resolve(name: string, path: string, cache: Map<string, string | null>) {
    const key = `${path}\0${name}`;
    if (cache.has(key)) return cache.get(key)!;
    let found: string | null = null;
    const candidates = name.includes('/')
      ? [name]
      : path
          .split(delimiter)
          .filter((d) => d.startsWith('/'))
          .map((d) => join(d, name));
    for (const c of candidates) {
      const st = await this.host.stat(c);
      if (st !== null && st.kind !== 'dir' && (await this.host.canExecute(c))) {
        found = c;
        break;
      }
    }
    cache.set(key, found);
    return found;
  }

  private async gui(
    program: string | null,
    marks: ReadonlyMap<string, boolean>,
  ): Promise<GuiGuess | null> {
    if (program === null) return null;
    let libs: string[] | null = null;
    if (program.startsWith('/')) {
      const st = await this.host.stat(program).catch(() => null);
      if (st !== null && st.size > 0 && st.size <= ELF_READ_LIMIT) {
        const key = `${program}\0${st.size}\0${st.mtimeMs}`;
        if (!this.needed.has(key)) {
          const bytes = await this.host.readOrNull(program).catch(() => null);
          this.needed.set(key, bytes === null ? null : readElfNeeded(bytes));
        }
        libs = this.needed.get(key) ?? null;
      }
    }
    return guessGui(program, libs, marks);
  }

  async read(scope: FactsScope = { all: true }): Promise<DoctorFacts & { unavailable: string[] }> {
    const unavailable: string[] = [];
    const marks = this.opts.marks();
    const cache = new Map<string, string | null>();
    const only = 'id' in scope ? scope.id : null;
    const kind = only === null ? null : only.slice(0, only.indexOf(':'));
    const [units, cron, autostart] = await Promise.all([
      only === null || kind === 'systemd' ? this.units(only, marks, cache, unavailable) : null,
      only === null || kind === 'cron' ? this.cron(only, marks, cache, unavailable) : null,
      only === null || kind === 'autostart'
        ? this.autostart(only, marks, cache, unavailable)
        : null,
    ]);
    // The manager's environment matters only to a GUI program in a unit.
    const env = await this.env(units?.facts.some((u) => u.gui?.gui === true) ?? false);
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

  private async env(withManager: boolean): Promise<EnvFact> {
    const [envRun, lingering] = await Promise.all([
      withManager ? this.systemctl(['show-environment']).catch(() => null) : null,
      this.opts.linger?.lingering().catch(() => false) ?? Promise.resolve(false),
    ]);
    return {
      systemdEnv: envRun !== null && envRun.code === 0 ? parseEnvLines(envRun.stdout) : null,
      lingering,
      desktops: (this.host.env.XDG_CURRENT_DESKTOP ?? '').split(':').filter((d) => d !== ''),
    };
  }

  private async units(
    only: string | null,
    marks: ReadonlyMap<string, boolean>,
    cache: Map<string, string | null>,
    unavailable: string[],
  ) {
    const dir = userUnitDir(this.host);
    const names = await this.host.readdir(dir);
    const wantedBy = new Map<string, string[]>();
    for (const n of names) {
      const m = /^(.+)\.(wants|requires)$/.exec(n);
      if (!m) continue;
      for (const u of await this.host.readdir(join(dir, n)))
        wantedBy.set(u, [...(wantedBy.get(u) ?? []), m[1]!]);
    }
    const broken = new Set<string>();
    await Promise.all(
      names
        .filter((n) => /\.(service|timer|socket|path|target)$/.test(n))
        .map(async (n) => {
          const path = join(dir, n);
          // A link whose target is gone reads as missing (a mask's /dev/null reads as empty).
          if (
            (await this.host.stat(path))?.kind === 'link' &&
            (await this.host.readOrNull(path).catch(() => null)) === null
          )
            broken.add(n);
        }),
    );
    let list = [...new Set([...wantedBy.keys(), ...broken])].sort();
    if (only !== null) list = [only.slice('systemd:'.length)];
    const targets = [...new Set(list.flatMap((u) => wantedBy.get(u) ?? []))];
    const shown = await this.show([...list, ...targets], unavailable);
    // A timer's programs are those of the unit it triggers.
    const triggered = list
      .map((u) => shown.get(u)?.Triggers?.split(' ')[0])
      .filter((x): x is string => x !== undefined && x !== '' && !shown.has(x));
    if (triggered.length > 0)
      for (const [k, v] of await this.show(triggered, unavailable)) shown.set(k, v);
    const facts: UnitFact[] = await Promise.all(
      list.map(async (unit): Promise<UnitFact> => {
        const s = shown.get(unit) ?? null;
        const execSource = unit.endsWith('.timer')
          ? (shown.get(s?.Triggers?.split(' ')[0] ?? '') ?? null)
          : s;
        const programs: ProgramFact[] = [];
        for (const from of EXEC_PROPS)
          for (const e of showExecs(execSource?.[from]))
            programs.push({
              from,
              path: e.path,
              ignoreErrors: e.ignore,
              runs: (await this.resolve(e.path, '', cache)) !== null,
            });
        const wdRaw = s?.WorkingDirectory ?? '';
        let workingDirectory: UnitFact['workingDirectory'] = null;
        if (wdRaw !== '' && wdRaw !== '!') {
          const optional = wdRaw.startsWith('!');
          const path = wdRaw.replace(/^!/, '').replace(/^~/, this.host.env.HOME ?? '~');
          const st = await this.host.stat(path);
          workingDirectory = { path, optional, exists: st !== null };
        }
        const main = programs.find((p) => p.from === 'ExecStart')?.path ?? null;
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
          gui: await this.gui(main, marks),
        };
      }),
    );
    const targetFacts: Record<string, TargetFact> = {};
    for (const tname of targets) {
      const s = shown.get(tname);
      if (s)
        targetFacts[tname] = {
          loadState: s.LoadState ?? 'not-found',
          activeState: s.ActiveState ?? 'inactive',
        };
      else if (!unavailable.includes('systemd'))
        targetFacts[tname] = { loadState: 'not-found', activeState: 'inactive' };
    }
    const starters = await unitStarters(this.host, new Set(wantedBy.keys()));
    return { facts, targets: targetFacts, starters };
  }

  /** `systemctl show` of these units, by name; empty when the manager could not be asked. */
  private async show(
    units: string[],
    unavailable: string[],
  ): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    if (units.length === 0) return out;
    // One cheap ListUnits for the states; a unit whose state and files did not change since the
    // last check keeps its record (NeedDaemonReload=yes is asked again: a reload clears it).
    const list = await listUnits(this.host, units).catch(() => null);
    const states = new Map<string, string>();
    for (const line of list?.stdout.split('\n') ?? []) {
      const [name, load, active, sub] = line.trim().split(/\s+/);
      if (name && sub) states.set(name, `${load} ${active} ${sub}`);
    }
    const stale: Array<{ unit: string; key: string | null }> = [];
    await Promise.all(
      units.map(async (unit) => {
        const state = states.get(unit);
        const cached = this.shown.get(unit);
        const key =
          state === undefined ? null : `${state}|${await this.fileStamp(unit, cached?.rec)}`;
        if (key !== null && cached?.key === key && cached.rec.NeedDaemonReload !== 'yes')
          out.set(unit, cached.rec);
        else stale.push({ unit, key });
      }),
    );
    if (stale.length === 0) return out;
    const r = await this.systemctl([
      'show',
      '-p',
      SHOW_PROPS.join(','),
      '--',
      ...stale.map((x) => x.unit),
    ]).catch(() => null);
    if (r === null || r.code !== 0) {
      if (!unavailable.includes('systemd')) unavailable.push('systemd');
      return out;
    }
    const keys = new Map(stale.map((x) => [x.unit, x.key]));
    for (const rec of parseShow(r.stdout)) {
      if (!rec.Id) continue;
      out.set(rec.Id, rec);
      const key = keys.get(rec.Id);
      if (key !== null && key !== undefined) this.shown.set(rec.Id, { key, rec });
    }
    return out;
  }

  /** When the unit's file and its drop-in folder last changed. */
  private async fileStamp(unit: string, rec: Record<string, string> | undefined): Promise<string> {
    const paths = [join(userUnitDir(this.host), `${unit}.d`)];
    if (rec?.FragmentPath) paths.push(rec.FragmentPath);
    const st = await Promise.all(paths.map((p) => this.host.stat(p).catch(() => null)));
    return st.map((x) => `${x?.mtimeMs ?? 0}:${x?.size ?? 0}`).join(',');
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
    cache: Map<string, string | null>,
    unavailable: string[],
  ) {
    if (this.opts.cron === null) return null;
    const state = await this.opts.cron.list();
    if (!state.ok || !state.value.installed) {
      unavailable.push('cron');
      return null;
    }
    const s = state.value;
    const reboot = s.jobs.filter((j) => j.reboot && (only === null || j.id === only));
    const cronPath = s.env.findLast((e) => e.name === 'PATH')?.value ?? CRON_PATH;
    const lines: CronLineFact[] = [];
    for (const j of reboot) {
      const name = j.argv?.[0] ?? null;
      let program: CronLineFact['program'] = null;
      if (name !== null) {
        const onCron = await this.resolve(name, cronPath, cache);
        const user = onCron ?? (await this.resolve(name, this.host.env.PATH ?? CRON_PATH, cache));
        program = { name, onCronPath: onCron !== null, resolved: onCron === null ? user : onCron };
      }
      lines.push({
        id: j.id,
        key: j.key,
        line: j.line,
        command: j.command,
        argv: j.argv,
        enabled: j.enabled,
        percent: cronSplit(j.command).stdin !== null,
        program,
        gui: await this.gui(program?.resolved ?? name, marks),
      });
    }
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
    cache: Map<string, string | null>,
    unavailable: string[],
  ) {
    if (this.opts.autostart === null) return null;
    const state = await this.opts.autostart.list();
    if (!state.ok) {
      unavailable.push('autostart');
      return null;
    }
    const items = state.value.items.filter((i) => only === null || i.id === only);
    const path = this.host.env.PATH ?? CRON_PATH;
    const invalid = await this.validate(items.map((i) => i.path));
    const facts: AutostartFact[] = [];
    for (const i of items) {
      const text = (await this.host.readOrNull(i.path).catch(() => null))?.toString('utf8') ?? '';
      const entry = DesktopEntry.parse(text);
      const argv = parseExec(entry.get('Exec') ?? '');
      const program = async (from: string, name: string | null): Promise<ProgramFact | null> =>
        name === null || name === ''
          ? null
          : {
              from,
              path: name,
              ignoreErrors: false,
              runs: (await this.resolve(name, path, cache)) !== null,
            };
      const st = effectiveState(entry, state.value.desktops, () => true);
      const exec = await program('Exec', argv?.[0] ?? null);
      facts.push({
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
        tryExec: await program('TryExec', entry.get('TryExec')),
        invalid: invalid.get(i.path) ?? [],
        gui: null,
      });
    }
    const starters = autostartStarters(state.value);
    return { facts, starters };
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
    const u: StarterFact[] = units ?? (await unitStarters(this.host, null));
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

/** Enabled user units and their commands (wanted: the enabled ones, when already known). */
async function unitStarters(
  host: Host,
  wanted: ReadonlySet<string> | null,
): Promise<StarterFact[]> {
  return (await readUserUnits(host, userUnitDir(host)))
    .filter((x) => (wanted === null ? x.enabled : wanted.has(x.unit)))
    .map((x) => ({
      id: `systemd:${x.unit}`,
      mechanism: 'systemd',
      argv: x.argv,
      words: unitStarterWords(x.unit, true),
    }));
}

function cronStarters(s: CronState): StarterFact[] {
  return s.jobs
    .filter((j) => j.reboot && j.enabled)
    .map((j) => ({ id: j.id, mechanism: 'cron', argv: j.argv, words: cronStarterWords(j.line) }));
}

function autostartStarters(s: AutostartState): StarterFact[] {
  return s.items
    .filter((i) => i.effective)
    .map((i) => ({
      id: i.id,
      mechanism: 'xdg-autostart',
      argv: i.argv,
      words: autostartStarterWords(i.name, i.file),
    }));
}

const same = (a: readonly string[] | null, b: readonly string[] | null) =>
  a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]);

/** For one entry: it and the starters that run the same command (the others say nothing new). */
function relatedTo(id: string, starters: StarterFact[]): StarterFact[] {
  const me = starters.find((s) => s.id === id);
  return me === undefined ? [] : starters.filter((s) => s.id === id || same(s.argv, me.argv));
}
