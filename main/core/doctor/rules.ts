// The rules of "Will it start?": pure functions from facts (facts.ts) to findings. No I/O; every
// sentence comes from the doctor catalog. Why each rule exists:
// - units: systemd starts an enabled unit only if its target is reached (graphical-session.target
//   only in a graphical session that starts it: udiskie #118, yumex-ng #84), only from the unit file
//   it loaded (NeedDaemonReload), never when masked; a GUI program needs DISPLAY/WAYLAND_DISPLAY in
//   the manager's environment, which the desktop imports only if it does (maestral #94);
// - @reboot: runs only when cron starts at boot, with PATH=/usr/bin:/bin and no display or session
//   bus; `%` ends the command (crontab(5));
// - autostart: the Desktop Application Autostart Specification, and systemd's
//   xdg-autostart-generator ignoring X-GNOME-Autostart-enabled (PLATFORM-NOTES).
import { t } from '../../../i18n/index.js';
import { ACTION_KEYS, FINDING_KEYS, GUESS_KEYS, STEP_KEYS } from './messages.js';
import type {
  DoctorAction,
  DoctorCode,
  DoctorFinding,
  DoctorFix,
  DoctorSeverity,
  GuiGuess,
} from '../model/doctor.js';
import type {
  AutostartFact,
  CronFact,
  DoctorFacts,
  EnvFact,
  StarterFact,
  TargetFact,
  UnitFact,
} from './facts.js';

type Vars = Record<string, string | number>;

function finding(
  entry: string,
  severity: DoctorSeverity,
  code: DoctorCode,
  vars: Vars,
  fix: DoctorFix | null,
  guess?: GuiGuess,
): DoctorFinding {
  const f: DoctorFinding = {
    entry,
    severity,
    code,
    message: t(FINDING_KEYS[code], vars),
    fix,
  };
  if (guess !== undefined) f.guess = guess;
  return f;
}

function step(code: keyof typeof STEP_KEYS, vars: Vars = {}): DoctorFix {
  return { kind: 'step', step: t(STEP_KEYS[code], vars) };
}

function action(a: DoctorAction): DoctorFix {
  return { kind: 'action', label: t(ACTION_KEYS[a.kind]), action: a };
}

/** How a GUI guess was made, in words (for the message). */
export function guessWords(g: GuiGuess): string {
  return t(GUESS_KEYS[g.how], { program: g.program, detail: g.detail });
}

const BOOT_TARGETS = new Set(['multi-user.target', 'graphical.target', 'network-online.target']);

export function checkUnit(
  u: UnitFact,
  targets: Readonly<Record<string, TargetFact>>,
  env: EnvFact,
): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const id = u.id;
  const unit = u.unit;
  if (u.masked) {
    out.push(finding(id, 'error', 'unit-masked', { unit }, action({ kind: 'unmask', unit })));
    return out;
  }
  if (u.linkBroken || u.show?.LoadState === 'not-found') {
    out.push(
      finding(
        id,
        'error',
        'unit-link-broken',
        { unit },
        action({ kind: 'remove-broken-link', unit }),
      ),
    );
    return out;
  }
  const s = u.show;
  if (s?.NeedDaemonReload === 'yes')
    out.push(
      finding(id, 'warning', 'unit-needs-reload', { unit }, action({ kind: 'daemon-reload' })),
    );
  for (const p of u.programs)
    if (!p.runs && !p.ignoreErrors)
      out.push(
        finding(
          id,
          'error',
          'unit-program-missing',
          { unit, program: p.path, key: p.from },
          step('unit-program-missing', { unit, program: p.path, key: p.from }),
        ),
      );
  const wd = u.workingDirectory;
  if (wd !== null && !wd.optional && !wd.exists)
    out.push(
      finding(
        id,
        'error',
        'unit-workdir-missing',
        { unit, path: wd.path },
        step('unit-workdir-missing', { path: wd.path }),
      ),
    );
  // The targets that pull it in: one that exists and is reached is enough.
  const known = u.wantedBy.map((name) => ({ name, t: targets[name] }));
  const missing = known.filter((k) => k.t === undefined || k.t.loadState === 'not-found');
  for (const m of missing)
    out.push(
      finding(
        id,
        'error',
        'unit-target-missing',
        {
          unit,
          target: m.name,
          boot: BOOT_TARGETS.has(m.name) ? t('doctor:finding.system-target') : '',
        },
        step('unit-target-missing', { unit, target: m.name }),
      ),
    );
  const loaded = known.filter((k) => k.t !== undefined && k.t.loadState !== 'not-found');
  if (
    loaded.length > 0 &&
    !loaded.some((k) => k.t!.activeState === 'active' || k.t!.activeState === 'activating')
  )
    out.push(
      finding(
        id,
        'warning',
        'unit-target-not-reached',
        { unit, target: loaded.map((k) => k.name).join(', ') },
        step('unit-target-not-reached', { unit }),
      ),
    );
  if (
    s !== undefined &&
    s !== null &&
    (s.ActiveState === 'failed' ||
      (s.Result !== undefined && s.Result !== '' && s.Result !== 'success'))
  )
    out.push(
      finding(
        id,
        'error',
        'unit-failed',
        { unit, result: s.Result ?? 'failed' },
        action({ kind: 'restart', id }),
      ),
    );
  if (u.gui?.gui === true && env.systemdEnv !== null) {
    const g = u.gui;
    const how = guessWords(g);
    if (env.systemdEnv.DISPLAY === undefined && env.systemdEnv.WAYLAND_DISPLAY === undefined)
      out.push(
        finding(
          id,
          'warning',
          'unit-gui-no-display',
          { unit, how },
          step('unit-gui-no-display'),
          g,
        ),
      );
    const after = (s?.After ?? '').split(' ');
    if (!after.includes('graphical-session.target'))
      out.push(
        finding(
          id,
          'warning',
          'unit-gui-not-after-session',
          { unit, how },
          step('unit-gui-not-after-session', { unit }),
          g,
        ),
      );
  }
  if (!env.lingering && u.wantedBy.length > 0) {
    if (u.calendarTimer)
      out.push(
        finding(id, 'warning', 'unit-needs-linger', { unit }, action({ kind: 'enable-linger' })),
      );
    else
      out.push(
        finding(id, 'info', 'unit-starts-at-login', { unit }, action({ kind: 'enable-linger' })),
      );
  }
  return out;
}

/** Findings about cron itself, on each enabled @reboot line (they are what it breaks). */
export function checkCron(c: CronFact): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  for (const l of c.lines) {
    if (!l.enabled) continue;
    const id = l.id;
    if (!c.access.allowed)
      out.push(
        finding(
          id,
          'error',
          'cron-denied',
          { file: c.access.why ?? '' },
          step('cron-denied', { file: c.access.why ?? '' }),
        ),
      );
    if (!c.running)
      out.push(finding(id, 'error', 'cron-not-running', {}, step('cron-not-running')));
    else if (c.atBoot === false)
      out.push(finding(id, 'warning', 'cron-not-at-boot', {}, step('cron-not-at-boot')));
    if (l.percent) out.push(finding(id, 'warning', 'cron-percent', {}, step('cron-percent')));
    const p = l.program;
    if (p !== null && !p.onCronPath) {
      if (p.resolved !== null && l.argv !== null)
        out.push(
          finding(
            id,
            'error',
            'cron-program-not-on-path',
            { program: p.name, resolved: p.resolved },
            action({ kind: 'cron-full-path', key: l.key, argv: [p.resolved, ...l.argv.slice(1)] }),
          ),
        );
      else
        out.push(
          finding(
            id,
            'error',
            'cron-program-missing',
            { program: p.name },
            step('cron-program-missing', { program: p.name }),
          ),
        );
    }
    if (l.gui?.gui === true)
      out.push(
        finding(id, 'warning', 'cron-gui', { how: guessWords(l.gui) }, step('cron-gui'), l.gui),
      );
  }
  return out;
}

export function checkAutostart(a: AutostartFact, env: EnvFact): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const id = a.id;
  const name = a.name;
  if (a.hidden) {
    // Turned off on purpose, most likely: said, not warned about; nothing else matters then.
    out.push(
      finding(
        id,
        'info',
        'autostart-hidden',
        { name },
        action({ kind: 'autostart-enable', file: a.file }),
      ),
    );
    return out;
  }
  if (a.exec !== null && !a.exec.runs)
    out.push(
      finding(
        id,
        'error',
        'autostart-exec-missing',
        { name, program: a.exec.path },
        step('autostart-exec-missing', { program: a.exec.path, path: a.path }),
      ),
    );
  if (a.tryExec !== null && !a.tryExec.runs)
    out.push(
      finding(
        id,
        'warning',
        'autostart-tryexec-missing',
        { name, program: a.tryExec.path },
        step('autostart-tryexec-missing', { program: a.tryExec.path }),
      ),
    );
  if (a.notThisDesktop)
    out.push(
      finding(
        id,
        'warning',
        'autostart-not-this-desktop',
        { name, desktop: env.desktops.join(':') || t('doctor:finding.unknown-desktop') },
        step('autostart-not-this-desktop', { path: a.path }),
      ),
    );
  if (a.gnomeDisabled)
    out.push(
      finding(
        id,
        'warning',
        'autostart-gnome-disabled',
        { name },
        step('autostart-gnome-disabled', { path: a.path }),
      ),
    );
  if (a.overrides !== null)
    out.push(
      finding(id, 'info', 'autostart-shadowed', { name, system: a.overrides, user: a.path }, null),
    );
  for (const problem of a.invalid.slice(0, 3))
    out.push(
      finding(
        id,
        'warning',
        'autostart-invalid',
        { name, problem },
        step('autostart-invalid', { path: a.path }),
      ),
    );
  return out;
}

/** At most OTHERS_NAMED starters are named in a finding; the rest are counted. */
const OTHERS_NAMED = 3;

function othersInWords(words: string[]): string {
  if (words.length <= OTHERS_NAMED + 1) return words.join(', ');
  return t('doctor:finding.others-more', {
    list: words.slice(0, OTHERS_NAMED).join(', '),
    count: words.length - OTHERS_NAMED,
  });
}

/** The same command started more than once, and a thing started both at login and at boot. */
export function checkAcross(
  facts: Pick<DoctorFacts, 'starters' | 'env'>,
  only?: string,
): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  // Grouped by one key per argv (each word prefixed by its length: unambiguous), not by a search
  // of the groups per starter: hundreds of starters made that quadratic.
  const groups = new Map<string, StarterFact[]>();
  for (const s of facts.starters) {
    if (s.argv === null) continue;
    const key = s.argv.map((a) => `${a.length}:${a}`).join('');
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  }
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const mechanisms = new Set(g.map((s) => s.mechanism));
    // Boot: @reboot, or a unit while linger is on; login: autostart, or a unit without linger.
    const boot = mechanisms.has('cron') || (facts.env.lingering && mechanisms.has('systemd'));
    const login =
      mechanisms.has('xdg-autostart') || (!facts.env.lingering && mechanisms.has('systemd'));
    const code: DoctorCode = boot && login ? 'login-and-boot' : 'started-twice';
    const words = g.map((s) => (typeof s.words === 'string' ? s.words : s.words()));
    for (const [i, s] of g.entries()) {
      if (only !== undefined && s.id !== only) continue;
      // The others in words, never by their ids (people read this); a few, then how many more.
      const others = othersInWords(words.filter((_, j) => j !== i));
      out.push(finding(s.id, 'warning', code, { others, count: g.length }, step(code, { others })));
    }
  }
  return out;
}

const ORDER: Record<DoctorSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Every finding (or those of the entry `only`), errors first, then by entry. */
export function checkAll(facts: DoctorFacts, only?: string): DoctorFinding[] {
  const out = [
    ...facts.units.flatMap((u) => checkUnit(u, facts.targets, facts.env)),
    ...(facts.cron ? checkCron(facts.cron) : []),
    ...facts.autostart.flatMap((a) => checkAutostart(a, facts.env)),
    ...checkAcross(facts, only),
  ];
  return out.sort(
    (a, b) =>
      ORDER[a.severity] - ORDER[b.severity] || (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : 0),
  );
}
