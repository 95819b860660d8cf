// The two unit files of a timer job, rendered from its form and read back: NAME.service (a
// oneshot that runs the command once, its output to a file each run replaces) and NAME.timer
// (the schedule). Pure. The command is quoted, and names and values checked, by the one unit
// writer's rules (systemd/unit-file.ts); unit-authoring.ts writes the files.
//
// Relies on (systemd 252, systemd.timer(5), systemd.exec(5)):
// - OnActiveSec= counts from the timer's own start and OnUnitActiveSec= from the service's last
//   start: together "every SPAN" (OnUnitActiveSec= alone never fires before the first run).
// - Persistent= only applies to OnCalendar=; RandomizedDelaySec= delays each elapse by a random
//   time up to its value.
// - StandardOutput=truncate:PATH opens PATH truncated at each start (the folder must exist);
//   StandardError= defaults to the same place.
// - AccuracySec=1s: the default (1min) may run a timer up to a minute late.
import type { FormIssue, RenderedFile } from '../model/authoring.js';
import { t } from '../../../i18n/index.js';
import type { TimerJobForm, TimerWhen } from '../model/timers.js';
import {
  APP_MARKER,
  argvIssues,
  lineProblem,
  parseExecStart,
  parseUnitText,
  quoteExecStart,
  unitNameIssue,
} from '../systemd/unit-file.js';

/** `%` starts a specifier in Description= and paths: written as `%%`. */
const specifiers = (s: string) => s.replace(/%/g, '%%');

export const MAX_RANDOM_DELAY_SEC = 7 * 24 * 3600;

/** The form's problems that need no systemd (the schedule itself is systemd's to judge). */
export function jobFormIssues(form: TimerJobForm): FormIssue[] {
  const issues: FormIssue[] = [];
  const n = unitNameIssue(form.name, 'timer');
  if (n !== null) issues.push({ field: 'name', message: n });
  const d = lineProblem(form.description, t('errors:unitFile.what.description'));
  if (d !== null) issues.push({ field: 'description', message: d });
  issues.push(...argvIssues(form.argv));
  const value = form.when.kind === 'calendar' ? form.when.expr : form.when.span;
  const v = lineProblem(value, t('errors:timers.schedule'));
  if (v !== null) issues.push({ field: 'when', message: v });
  else if (value.trim() === '') issues.push({ field: 'when', message: t('errors:timers.sayWhen') });
  const r = form.randomDelaySec;
  if (r !== null && (!Number.isInteger(r) || r < 0 || r > MAX_RANDOM_DELAY_SEC))
    issues.push({
      field: 'randomDelaySec',
      message: t('errors:timers.randomDelay', { max: MAX_RANDOM_DELAY_SEC }),
    });
  return issues;
}

function whenLines(when: TimerWhen): string[] {
  switch (when.kind) {
    case 'calendar':
      return [`OnCalendar=${when.expr.trim()}`];
    case 'after-boot':
      return [`OnBootSec=${when.span.trim()}`];
    case 'after-login':
      return [`OnStartupSec=${when.span.trim()}`];
    case 'every':
      return [`OnActiveSec=${when.span.trim()}`, `OnUnitActiveSec=${when.span.trim()}`];
  }
}

/** NAME.service and NAME.timer for a form without issues (check jobFormIssues first). */
export function renderJobUnits(form: TimerJobForm, outputPath: string): RenderedFile[] {
  const name = form.name.replace(/\.(timer|service)$/, '');
  const description = specifiers(form.description.trim() || name);
  const service = [
    APP_MARKER,
    '[Unit]',
    `Description=${description}`,
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${quoteExecStart(form.argv)}`,
    `StandardOutput=truncate:${specifiers(outputPath)}`,
    '',
  ];
  const timer = [APP_MARKER, '[Unit]', `Description=${description}`, '', '[Timer]'];
  timer.push(...whenLines(form.when));
  if (form.persistent && form.when.kind === 'calendar') timer.push('Persistent=true');
  if (form.randomDelaySec !== null && form.randomDelaySec > 0)
    timer.push(`RandomizedDelaySec=${form.randomDelaySec}`);
  timer.push(
    'AccuracySec=1s',
    `Unit=${name}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  );
  return [
    { name: `${name}.service`, text: service.join('\n') },
    { name: `${name}.timer`, text: timer.join('\n') },
  ];
}

/** The form a job's files were rendered from, or null when they are not a job the app wrote. */
export function parseJobUnits(
  name: string,
  serviceText: string,
  timerText: string,
): TimerJobForm | null {
  if (!serviceText.startsWith(APP_MARKER) || !timerText.startsWith(APP_MARKER)) return null;
  const svc = parseUnitText(serviceText);
  const tmr = parseUnitText(timerText);
  const get = (s: Map<string, Array<[string, string]>>, section: string, key: string) =>
    s.get(section)?.find(([k]) => k === key)?.[1];
  const exec = get(svc, 'Service', 'ExecStart');
  const argv = exec === undefined ? null : parseExecStart(exec);
  if (argv === null || get(svc, 'Service', 'Type') !== 'oneshot') return null;
  const cal = get(tmr, 'Timer', 'OnCalendar');
  const boot = get(tmr, 'Timer', 'OnBootSec');
  const startup = get(tmr, 'Timer', 'OnStartupSec');
  const every = get(tmr, 'Timer', 'OnUnitActiveSec');
  const when: TimerWhen | null =
    cal !== undefined
      ? { kind: 'calendar', expr: cal }
      : boot !== undefined
        ? { kind: 'after-boot', span: boot }
        : startup !== undefined
          ? { kind: 'after-login', span: startup }
          : every !== undefined
            ? { kind: 'every', span: every }
            : null;
  if (when === null) return null;
  const description = (get(svc, 'Unit', 'Description') ?? name).replace(/%%/g, '%');
  const delay = get(tmr, 'Timer', 'RandomizedDelaySec');
  return {
    name,
    description: description === name ? '' : description,
    argv,
    when,
    persistent: get(tmr, 'Timer', 'Persistent') === 'true',
    randomDelaySec: delay === undefined ? null : Number(delay),
  };
}
