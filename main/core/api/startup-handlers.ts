// The startup channels (issue 5) mapped onto the StartupService: crontab @reboot lines, XDG
// autostart, linger and "how does this start?".
import { startupChannels } from '../../../contract/areas/startup.js';
import type { OpsOf } from '../../../contract/channel.js';
import type { StartupService } from '../autostart/startup-service.js';
import { createHandlers } from './handlers.js';

/** What the startup channels use of the StartupService. */
export type StartupDeps = Pick<
  StartupService,
  | 'listCron'
  | 'addCron'
  | 'editCron'
  | 'setCronEnabled'
  | 'removeCron'
  | 'runCronNow'
  | 'undoCron'
  | 'changeCron'
  | 'cronNextRuns'
  | 'cronToTimer'
  | 'undoCronToTimer'
  | 'listAutostart'
  | 'addAutostart'
  | 'setAutostartEnabled'
  | 'removeAutostart'
  | 'setSelfAutostart'
  | 'getLinger'
  | 'setLinger'
  | 'howItStarts'
  | 'setup'
>;

function startupOps(s: StartupDeps): OpsOf<typeof startupChannels> {
  return {
    listCron: () => s.listCron(),
    addCron: ({ argv, ...opts }) => s.addCron(argv, opts),
    editCron: ({ key, argv, ...opts }) => s.editCron(key, argv, opts),
    setCronEnabled: ({ key, enabled, revision }) => s.setCronEnabled(key, enabled, revision),
    removeCron: ({ key, revision }) => s.removeCron(key, revision),
    runCronNow: ({ key }) => s.runCronNow(key),
    undoCron: () => s.undoCron(),
    changeCron: ({ key, revision, ...patch }) => s.changeCron(key, patch, revision),
    cronNextRuns: ({ key, count }) => s.cronNextRuns(key, count),
    cronToTimer: ({ key, name }) => s.cronToTimer(key, name),
    undoCronToTimer: ({ token }) => s.undoCronToTimer(token),
    listAutostart: () => s.listAutostart(),
    addAutostart: ({ name, argv, comment }) => s.addAutostart(name, argv, comment),
    setAutostartEnabled: ({ file, enabled }) => s.setAutostartEnabled(file, enabled),
    removeAutostart: ({ file }) => s.removeAutostart(file),
    setSelfAutostart: ({ enabled }) => s.setSelfAutostart(enabled),
    getLinger: () => s.getLinger(),
    setLinger: ({ enabled }) => s.setLinger(enabled),
    howItStarts: (target) => s.howItStarts(target),
    setupStartup: (request) => s.setup(request),
  };
}

/** Without a startup service (a host where it is not wired) every channel answers `unsupported`. */
export function createStartupHandlers(service: StartupDeps | undefined) {
  return createHandlers(
    startupChannels,
    service && startupOps(service),
    'Start-at-login and @reboot management is not available in this build.',
  );
}
