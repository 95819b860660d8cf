// Startup timing: what `systemd-analyze --user blame` prints, from each unit's own timestamps
// (InactiveExitTimestampMonotonic: it began to start; ActiveEnterTimestampMonotonic: it was up),
// and the user manager's UserspaceTimestampMonotonic (its start: the login) and
// FinishTimestampMonotonic (its start-up done). Pure: the `systemctl show` records come in.
import type { StartupTiming, UnitTiming } from '../model/doctor.js';

const usec = (v: string | undefined) => {
  const n = Number(v ?? '0');
  return Number.isFinite(n) ? n : 0;
};

export function startupTiming(
  units: ReadonlyArray<Record<string, string>>,
  manager: Record<string, string>,
): StartupTiming {
  const start = usec(manager.UserspaceTimestampMonotonic);
  const finish = usec(manager.FinishTimestampMonotonic);
  const out: UnitTiming[] = [];
  let last = 0;
  for (const u of units) {
    const began = usec(u.InactiveExitTimestampMonotonic);
    const up = usec(u.ActiveEnterTimestampMonotonic);
    if (began === 0 || up === 0 || up < began || u.Id === undefined) continue;
    out.push({
      unit: u.Id,
      ms: (up - began) / 1000,
      activeAtMs: start > 0 ? (up - start) / 1000 : 0,
    });
    // Part of the start-up: began before the manager said it was done.
    if (finish === 0 || began <= finish) last = Math.max(last, up);
  }
  out.sort((a, b) => b.ms - a.ms || (a.unit < b.unit ? -1 : 1));
  return {
    units: out,
    loginToLastMs: start > 0 && last > 0 ? (last - start) / 1000 : null,
    managerStartupMs: start > 0 && finish > 0 ? (finish - start) / 1000 : null,
  };
}
