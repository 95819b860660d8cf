// Builds the timers area on a core's systemd source and unit authoring; a core that watches (the
// app, the e2e transport) records every run as it ends, the CLI's only reads them back.
import type { KeyValueBackend } from '../settings/settings.js';
import type { AuthoringService } from '../systemd/authoring-service.js';
import type { SystemdSource } from '../monitor/create-monitor.js';
import { RunStore } from './run-history.js';
import { TimerJobs } from './timer-jobs.js';

export function createTimerJobs(
  systemd: Pick<SystemdSource, 'bus' | 'units'>,
  authoring: AuthoringService,
  backend: KeyValueBackend,
  watch: boolean,
): TimerJobs {
  const jobs = new TimerJobs({
    bus: systemd.bus,
    units: systemd.units,
    authoring: authoring.authoring,
    store: new RunStore(backend),
  });
  if (watch) jobs.watch();
  return jobs;
}
