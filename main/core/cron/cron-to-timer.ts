// "Move to a timer": a crontab line becomes a timer job (main/core/timers) with the same schedule,
// and the line is disabled, as one transaction; one Undo puts both back.
//
// - The schedule: cron-calendar.ts (what systemd cannot say is refused with the reason, before
//   anything is written); systemd then judges and normalises the expression as for any timer.
// - The command: a plain argument list with an absolute program runs as it is; anything else
//   (pipes, redirections, variables) runs as cron runs it, `/bin/sh -c` with the command after
//   cron's `%` pass, and the crontab's NAME=value lines (but MAILTO/MAILFROM, which are cron's)
//   given through /usr/bin/env. A command that feeds input through `%` is refused: a timer job has
//   no input to give. A user service starts in the home folder, as cron does (systemd.exec(5):
//   WorkingDirectory= defaults to the user's home in a user manager).
// - The transaction: make the timer (enabled and started when the line is enabled), then disable
//   the line, checking the crontab is still what was read; when the second step fails the timer
//   is removed again. The Undo token names the timer's authoring undo; undoing enables the line again
//   first (the exact bytes it had), then runs the timer's undo.
import type { Result } from '../model/domain.js';
import type { CronJob, CronToTimerOutcome } from '../model/startup.js';
import type { TimerJobForm } from '../model/timers.js';
import { AppFailure, appError, fail, ok, toAppError } from '../errors.js';
import { runTransaction } from '../systemd/transaction.js';
import type { TimerJobs } from '../timers/timer-jobs.js';
import { t } from '../../../i18n/index.js';
import { cronToCalendar } from './cron-calendar.js';
import { cronArgv, cronSplit } from './cron-command.js';
import { scheduleOf, type CronService } from './cron-service.js';

export type { CronToTimerOutcome };

/** Environment lines that are cron's own settings, not the job's. */
const CRON_OWN = new Set(['MAILTO', 'MAILFROM', 'CONTENT_TYPE', 'CONTENT_TRANSFER_ENCODING']);

/** A unit name from the program: `backup.sh` -> `backup-sh`; `cron-job` when nothing is left. */
export function timerNameFor(job: Pick<CronJob, 'argv' | 'command'>): string {
  const prog = job.argv?.[0] ?? job.command.split(/\s+/)[0] ?? '';
  const base = prog.slice(prog.lastIndexOf('/') + 1);
  const slug = base
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug === '' ? 'cron-job' : slug;
}

/** The timer job form for a crontab line, or why it cannot be one (nothing is checked by systemd yet). */
export function timerFormFor(
  job: Pick<CronJob, 'schedule' | 'command' | 'argv' | 'log'>,
  env: ReadonlyArray<{ name: string; value: string }>,
  name: string,
): Result<TimerJobForm> {
  const schedule = scheduleOf(job.schedule);
  if (schedule === null)
    return fail('invalid-input', t('cron:toTimer.cannot.invalid', { schedule: job.schedule }));
  const cal = cronToCalendar(schedule);
  if (!cal.ok) return fail('unsupported', cal.message);
  const { shell, stdin } = cronSplit(job.command);
  if (stdin !== null) return fail('unsupported', t('cron:toTimer.cannot.stdin'));
  const vars = env.filter((e) => !CRON_OWN.has(e.name));
  const plain = cronArgv(job.command);
  const argv =
    plain !== null && plain.log === null && plain.argv[0]!.startsWith('/') && vars.length === 0
      ? plain.argv
      : [
          ...(vars.length > 0 ? ['/usr/bin/env', ...vars.map((v) => `${v.name}=${v.value}`)] : []),
          '/bin/sh',
          '-c',
          shell,
        ];
  return ok({
    name,
    description: t('cron:toTimer.description', { schedule: job.schedule }),
    argv,
    when: { kind: 'calendar', expr: cal.expr },
    persistent: false,
    randomDelaySec: null,
  });
}

export interface CronToTimerDeps {
  cron: CronService;
  timers: TimerJobs;
  /** The unit authoring undo (AuthoringService.undo). */
  undoUnits: (token: string) => Promise<Result<unknown>>;
}

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new AppFailure(r.error);
  return r.value;
}

/** Turn the line into a timer job and disable the line: one transaction. */
export async function moveToTimer(
  deps: CronToTimerDeps,
  key: string,
  opts: { name?: string } = {},
): Promise<Result<CronToTimerOutcome>> {
  try {
    const state = must(await deps.cron.state());
    const job = state.jobs.find((j) => j.key === key);
    if (!job) return fail('invalid-input', t('cron:line.notFound', { key }));
    const name = opts.name ?? timerNameFor(job);
    const form = must(timerFormFor(job, state.env, name));
    let token: string | null = null;
    let expr = form.when.kind === 'calendar' ? form.when.expr : '';
    await runTransaction(t('cron:toTimer.what', { key }), [
      {
        name: t('cron:toTimer.stepTimer', { name }),
        run: async () => {
          const made = must(await deps.timers.add(form, { start: job.enabled }));
          token = made.undo.id;
          const written = await deps.timers.getForm(name);
          if (written.ok && written.value.when.kind === 'calendar') expr = written.value.when.expr;
        },
        undo: async () => {
          if (token !== null) must(await deps.undoUnits(token));
        },
      },
      {
        name: t('cron:toTimer.stepDisable', { key }),
        run: async () => {
          if (job.enabled) must(await deps.cron.setEnabled(key, false, state.revision));
        },
      },
    ]);
    // `cron:KEY:ID` when the line was disabled by the move, else the timer's undo id alone.
    return ok({ key, timer: name, expr, undo: job.enabled ? `cron:${key}:${token!}` : token! });
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}

/** Undo a move: the line enabled again (if the move disabled it), then the timer removed. */
export async function undoToTimer(
  deps: CronToTimerDeps,
  token: string,
): Promise<Result<{ key: string | null; undone: string }>> {
  const m = /^cron:([0-9a-f]{8}(?:-\d+)?):(.+)$/.exec(token);
  const key = m?.[1] ?? null;
  const units = m?.[2] ?? token;
  if (units === '' || /[\s/]/.test(units)) return fail('invalid-input', t('cron:toTimer.badToken'));
  // Enabling strips exactly the marker the move added: the line's bytes come back.
  if (key !== null) {
    const c = await deps.cron.setEnabled(key, true);
    if (!c.ok) return c;
  }
  const u = await deps.undoUnits(units);
  if (!u.ok) {
    // The timer stayed: the line is disabled again, so the job does not run twice.
    if (key !== null) await deps.cron.setEnabled(key, false);
    return {
      ok: false,
      error: appError(u.error.code, t('cron:toTimer.undoFailed', { reason: u.error.message })),
    };
  }
  return ok({ key, undone: units });
}
