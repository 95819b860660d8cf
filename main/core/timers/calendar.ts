// systemd's own reading of a schedule: `systemd-analyze calendar` for a calendar expression
// (its normalised form and next elapses, or its refusal) and `systemd-analyze timespan` for a
// duration. The app writes only what these accept, so it refuses exactly what systemd refuses.
//
// Relies on (systemd 252, checked by test/unit/timers-calendar.test.ts):
// - `systemd-analyze calendar --iterations=N [--base-time=@EPOCH] -- EXPR` prints
//   "Normalized form: ..." and "Next elapse: Day YYYY-MM-DD HH:MM:SS ZONE" then "Iter. #k: ..."
//   lines in the local time zone; when that zone is not UTC each time is followed by a
//   "(in UTC): ... UTC" line. "Next elapse: never" when it never elapses again.
// - A refused expression exits non-zero with "Failed to parse calendar specification 'EXPR':
//   REASON" on stderr (sometimes followed by a "Hint: ..." line): that line is the reason shown.
// - `systemd-analyze timespan SPAN` exits non-zero with "Failed to parse time span 'SPAN': ..."
// Run with LC_ALL=C and no colours; the time zone is the caller's (a schedule means local time).
import type { CalendarAnalysis } from '../model/timers.js';
import type { Result } from '../model/domain.js';
import { fail, ok } from '../errors.js';
import type { Host } from '../host/host.js';
import { t } from '../../../i18n/index.js';

const TIME = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/;

/** The normalised form and the elapses (as ISO strings) in `systemd-analyze calendar` output. */
export function parseAnalyzeCalendar(text: string): { normalized: string; next: string[] } {
  let normalized = '';
  const next: string[] = [];
  const lines = text.split('\n').map((l) => l.trim());
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const norm = /^Normalized form: (.*)$/.exec(line);
    if (norm !== null) normalized = norm[1]!;
    if (!/^(Next elapse|Iter\. #\d+):/.test(line)) continue;
    // The "(in UTC):" line after a local time, else the time itself (the zone is UTC).
    const utc = lines[i + 1]?.startsWith('(in UTC):') === true ? lines[i + 1]! : line;
    const m = TIME.exec(utc);
    if (m !== null) next.push(new Date(`${m[1]}T${m[2]}Z`).toISOString());
  }
  return { normalized, next };
}

/** systemd's complaint in stderr: the "Failed to parse ..." line, else the first line. */
export function refusalReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.find((l) => l.startsWith('Failed to')) ?? lines[0] ?? t('errors:timers.refused');
}

function analyzeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, LC_ALL: 'C', SYSTEMD_COLORS: '0', SYSTEMD_LOG_COLOR: '0', SYSTEMD_PAGER: '' };
}

/** A value systemd-analyze can take on its command line: one line, no NUL. */
function oneLine(value: string, what: string): Result<string> {
  if (/[\0\n\r]/.test(value)) return fail('invalid-input', t('errors:timers.oneLine', { what }));
  return ok(value);
}

/**
 * systemd's normalised form of `expr` and its next `count` elapses after `base` (default now),
 * or its refusal with systemd's reason (code invalid-input).
 */
export async function analyzeCalendar(
  host: Pick<Host, 'run' | 'env'>,
  expr: string,
  opts: { count?: number; base?: Date } = {},
): Promise<Result<CalendarAnalysis>> {
  const line = oneLine(expr, t('errors:timers.calendarExpression'));
  if (!line.ok) return line;
  const count = Math.max(1, Math.min(100, Math.floor(opts.count ?? 5)));
  const argv = ['systemd-analyze', 'calendar', `--iterations=${count}`];
  if (opts.base !== undefined) argv.push(`--base-time=@${Math.floor(opts.base.getTime() / 1000)}`);
  const r = await host.run([...argv, '--', expr], { env: analyzeEnv(host.env), timeoutMs: 10_000 });
  if (r.code !== 0) return fail('invalid-input', refusalReason(r.stderr), r.stderr.trim());
  const parsed = parseAnalyzeCalendar(r.stdout);
  return ok({ expr, normalized: parsed.normalized, next: parsed.next.slice(0, count) });
}

/** A duration systemd accepts (`15min`, `1h 30min`), or its refusal with systemd's reason. */
export async function checkTimespan(
  host: Pick<Host, 'run' | 'env'>,
  span: string,
): Promise<Result<{ span: string; normalized: string; seconds: number }>> {
  const line = oneLine(span, t('errors:timers.duration'));
  if (!line.ok) return line;
  if (span.trim() === '') return fail('invalid-input', t('errors:timers.enterDuration'));
  const r = await host.run(['systemd-analyze', 'timespan', '--', span], {
    env: analyzeEnv(host.env),
    timeoutMs: 10_000,
  });
  if (r.code !== 0) return fail('invalid-input', refusalReason(r.stderr), r.stderr.trim());
  const human = /Human:\s*(.+)$/m.exec(r.stdout)?.[1]?.trim() ?? span;
  const usec = Number(
    /μs:\s*(\d+)/.exec(r.stdout)?.[1] ?? /us:\s*(\d+)/.exec(r.stdout)?.[1] ?? NaN,
  );
  if (!Number.isFinite(usec) || usec <= 0)
    return fail('invalid-input', t('errors:timers.zeroDuration', { span }));
  return ok({ span: span.trim(), normalized: human, seconds: usec / 1e6 });
}
