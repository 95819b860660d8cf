// The named API methods of the startup area over a transport.
import type { Transport } from '../api.js';
import type { StartupApi } from '../../contract/areas/startup.js';

export function createStartupApi(transport: Transport): StartupApi {
  return {
    listCron: () => transport.invoke('cron:list', null),
    addCron: (argv, opts = {}) => transport.invoke('cron:add', { argv, ...opts }),
    editCron: (key, argv, opts = {}) => transport.invoke('cron:edit', { key, argv, ...opts }),
    setCronEnabled: (key, enabled, revision) =>
      transport.invoke('cron:set-enabled', {
        key,
        enabled,
        ...(revision !== undefined ? { revision } : {}),
      }),
    removeCron: (key, revision) =>
      transport.invoke('cron:remove', { key, ...(revision !== undefined ? { revision } : {}) }),
    runCronNow: (key) => transport.invoke('cron:run', { key }),
    undoCron: () => transport.invoke('cron:undo', null),
    listAutostart: () => transport.invoke('autostart:list', null),
    addAutostart: (name, argv, comment) =>
      transport.invoke('autostart:add', {
        name,
        argv,
        ...(comment !== undefined ? { comment } : {}),
      }),
    setAutostartEnabled: (file, enabled) =>
      transport.invoke('autostart:set-enabled', { file, enabled }),
    removeAutostart: (file) => transport.invoke('autostart:remove', { file }),
    setSelfAutostart: (enabled) => transport.invoke('autostart:set-self', { enabled }),
    getLinger: () => transport.invoke('linger:get', null),
    setLinger: (enabled) => transport.invoke('linger:set', { enabled }),
    howItStarts: (target) => transport.invoke('startup:how', target),
    setupStartup: (request) => transport.invoke('startup:setup', request),
  };
}
