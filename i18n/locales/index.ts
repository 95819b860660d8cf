// Every message catalog, by language and namespace. One JSON file per namespace and language
// (i18n/locales/LANG/NS.json), so each area of the app edits its own files. Kept by hand:
// a new namespace is one import per language here and one name in NAMESPACES (namespaces.ts).
// The renderer and the preload load them on demand instead (lazy.ts, renderer/bundling.ts).
import { type Catalog, type Namespace } from './namespaces.js';
import enCommon from './en/common.json' with { type: 'json' };
import enErrors from './en/errors.json' with { type: 'json' };
import enPanel from './en/panel.json' with { type: 'json' };
import enDetail from './en/detail.json' with { type: 'json' };
import enCreate from './en/create.json' with { type: 'json' };
import enStartup from './en/startup.json' with { type: 'json' };
import enStrays from './en/strays.json' with { type: 'json' };
import enSettings from './en/settings.json' with { type: 'json' };
import enWatch from './en/watch.json' with { type: 'json' };
import enRun from './en/run.json' with { type: 'json' };
import enAdopt from './en/adopt.json' with { type: 'json' };
import enCli from './en/cli.json' with { type: 'json' };
import enTray from './en/tray.json' with { type: 'json' };
import enNotify from './en/notify.json' with { type: 'json' };
import enDoctor from './en/doctor.json' with { type: 'json' };
import enTimers from './en/timers.json' with { type: 'json' };
import enCron from './en/cron.json' with { type: 'json' };
import enLogs from './en/logs.json' with { type: 'json' };
import enSetup from './en/setup.json' with { type: 'json' };
import enHosts from './en/hosts.json' with { type: 'json' };
import koCommon from './ko/common.json' with { type: 'json' };
import koErrors from './ko/errors.json' with { type: 'json' };
import koPanel from './ko/panel.json' with { type: 'json' };
import koDetail from './ko/detail.json' with { type: 'json' };
import koCreate from './ko/create.json' with { type: 'json' };
import koStartup from './ko/startup.json' with { type: 'json' };
import koStrays from './ko/strays.json' with { type: 'json' };
import koSettings from './ko/settings.json' with { type: 'json' };
import koWatch from './ko/watch.json' with { type: 'json' };
import koRun from './ko/run.json' with { type: 'json' };
import koAdopt from './ko/adopt.json' with { type: 'json' };
import koCli from './ko/cli.json' with { type: 'json' };
import koTray from './ko/tray.json' with { type: 'json' };
import koNotify from './ko/notify.json' with { type: 'json' };
import koDoctor from './ko/doctor.json' with { type: 'json' };
import koTimers from './ko/timers.json' with { type: 'json' };
import koCron from './ko/cron.json' with { type: 'json' };
import koLogs from './ko/logs.json' with { type: 'json' };
import koSetup from './ko/setup.json' with { type: 'json' };
import koHosts from './ko/hosts.json' with { type: 'json' };

export { NAMESPACES, type Catalog, type Namespace } from './namespaces.js';

export const resources: Record<'en' | 'ko', Record<Namespace, Catalog>> = {
  en: {
    common: enCommon,
    errors: enErrors,
    panel: enPanel,
    detail: enDetail,
    create: enCreate,
    startup: enStartup,
    strays: enStrays,
    settings: enSettings,
    watch: enWatch,
    run: enRun,
    adopt: enAdopt,
    cli: enCli,
    tray: enTray,
    notify: enNotify,
    doctor: enDoctor,
    timers: enTimers,
    cron: enCron,
    logs: enLogs,
    setup: enSetup,
    hosts: enHosts,
  },
  ko: {
    common: koCommon,
    errors: koErrors,
    panel: koPanel,
    detail: koDetail,
    create: koCreate,
    startup: koStartup,
    strays: koStrays,
    settings: koSettings,
    watch: koWatch,
    run: koRun,
    adopt: koAdopt,
    cli: koCli,
    tray: koTray,
    notify: koNotify,
    doctor: koDoctor,
    timers: koTimers,
    cron: koCron,
    logs: koLogs,
    setup: koSetup,
    hosts: koHosts,
  },
};

/** The catalogs of `language` for `namespaces`: all here already (lazy.ts loads them). */
export function loadCatalogs(
  language: 'en' | 'ko',
  namespaces: readonly Namespace[],
): Promise<Partial<Record<Namespace, Catalog>>> {
  return Promise.resolve(Object.fromEntries(namespaces.map((ns) => [ns, resources[language][ns]])));
}
