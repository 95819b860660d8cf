// `daemon-deck doctor`: "Will it start?" from the command line. The findings of everything set to
// start (or of one entry), exit 1 when any is an error; `--json` prints the findings as an array
// (a contract: entry, severity, code, message, fix; fields are added, never renamed);
// `--rehearse ID` runs one entry now as at login or boot; `--timing` is systemd-analyze blame.
import { t } from '../../i18n/index.js';
import { formatNumber } from '../../i18n/format.js';
import type {
  DoctorFinding,
  DoctorReport,
  Rehearsal,
  StartupTiming,
} from '../core/model/doctor.js';
import { createStartup } from '../core/autostart/startup-service.js';
import { DoctorService } from '../core/doctor/doctor-service.js';
import { SEVERITY_KEYS } from '../core/doctor/messages.js';
import { createLocalHost } from '../core/host/local-host.js';
import { openConfBackend } from '../core/settings/settings.js';
import { cliHost } from './hosts.js';
import {
  UsageError,
  crontabFromEnv,
  onFarHost,
  output,
  table,
  unwrap,
  type CliIo,
  type Command,
} from './command.js';

async function service(io: CliIo): Promise<DoctorService> {
  // Another host (--host): its own crontab(1), files and manager; none of this machine's processes.
  const far = onFarHost(io);
  const crontab = far ? undefined : crontabFromEnv(io.env);
  const host = far ? await cliHost(io) : createLocalHost(io.env);
  const backend = await openConfBackend(io.env);
  for (const issue of backend.issues ?? []) io.err(`daemon-deck: warning: ${issue}`);
  const startup = createStartup({
    host,
    ...(crontab ? { crontab } : {}),
    ...(far ? { processes: () => [] } : {}),
  });
  return new DoctorService({ host, startup, backend });
}

const ms = (n: number) =>
  formatNumber(Math.round(n), { style: 'unit', unit: 'millisecond', unitDisplay: 'short' });

function fixLine(f: DoctorFinding): string | null {
  if (f.fix === null) return null;
  return f.fix.kind === 'step'
    ? t('doctor:cli.fix-step', { step: f.fix.step })
    : t('doctor:cli.fix-action', { label: f.fix.label });
}

/** Findings grouped by entry, each with its severity, code and fix. */
export function formatReport(r: DoctorReport): string {
  const lines: string[] = [];
  const entries = [...new Set(r.findings.map((f) => f.entry))];
  for (const e of entries) {
    lines.push(e);
    for (const f of r.findings.filter((x) => x.entry === e)) {
      lines.push(`  ${t(SEVERITY_KEYS[f.severity])} [${f.code}] ${f.message}`);
      const fix = fixLine(f);
      if (fix !== null) lines.push(`    ${fix}`);
      if (f.guess) lines.push(`    ${t('doctor:cli.guess', { program: f.guess.program })}`);
    }
  }
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.filter((f) => f.severity === 'warning').length;
  if (lines.length > 0) lines.push('');
  lines.push(
    r.findings.length === 0
      ? t('doctor:cli.all-good', { count: r.entries.length })
      : t('doctor:cli.summary', {
          count: r.entries.length,
          errors: t('doctor:card.errors', { count: errors }),
          warnings: t('doctor:card.warnings', { count: warnings }),
        }),
  );
  for (const u of r.unavailable) lines.push(t('doctor:cli.unavailable', { source: u }));
  return lines.join('\n');
}

function formatRehearsal(r: Rehearsal): string {
  const out = [`${r.id}: ${r.summary}`];
  if (r.output.trim() !== '') out.push('', t('doctor:cli.printed'), r.output.trimEnd());
  return out.join('\n');
}

function formatTiming(s: StartupTiming): string {
  const rows = s.units.map((u) => [ms(u.ms), u.unit]);
  const out = [
    rows.length === 0
      ? t('doctor:cli.no-timing')
      : table([t('doctor:cli.time'), t('doctor:cli.unit')], rows),
  ];
  if (s.loginToLastMs !== null)
    out.push('', t('doctor:cli.login-to-last', { time: ms(s.loginToLastMs) }));
  return out.join('\n');
}

/** Runs `fn` on a DoctorService and ends its bus connection after. */
async function withService<T>(io: CliIo, fn: (d: DoctorService) => Promise<T>): Promise<T> {
  const d = await service(io);
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

const doctor: Command = {
  name: 'doctor',
  options: {
    json: { type: 'boolean' },
    rehearse: { type: 'string' },
    watch: { type: 'string' },
    timing: { type: 'boolean' },
  },
  async run(args, io) {
    const json = args.values.json;
    const rehearse = args.values.rehearse;
    if (typeof rehearse === 'string') {
      if (args.positionals.length > 0) throw new UsageError(t('cli:errors.rehearseOneId'));
      const secs = args.values.watch === undefined ? 4 : Number(args.values.watch);
      if (!Number.isFinite(secs) || secs < 0.5 || secs > 60)
        throw new UsageError(t('cli:errors.watchSeconds'));
      const target = rehearse.includes(':') ? rehearse : `systemd:${rehearse}`;
      const r = unwrap(await withService(io, (d) => d.rehearse(target, Math.round(secs * 1000))));
      output(io, json, r, formatRehearsal);
      return r.outcome === 'up' || r.outcome === 'done' ? 0 : 1;
    }
    if (args.values.timing === true) {
      if (args.positionals.length > 0) throw new UsageError(t('cli:errors.timingNoId'));
      output(io, json, unwrap(await withService(io, (d) => d.timing())), formatTiming);
      return 0;
    }
    if (args.positionals.length > 1) throw new UsageError(t('cli:errors.doctorOneId'));
    const given = args.positionals[0];
    // A bare unit name works as everywhere else in the CLI.
    const id = given === undefined || given.includes(':') ? given : `systemd:${given}`;
    const report = unwrap(await withService(io, (d) => d.check(id)));
    // --json is the findings array itself: the documented contract.
    output(io, json, report.findings, () => formatReport(report));
    return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
};

export const doctorCommands: Command[] = [doctor];
