// "How does this start?": which mechanisms start a command at login or boot, and the three ways
// the app offers to make it start. Pure: no I/O; the facts come in as arguments. Units are
// written and read back by the one unit writer, systemd/unit-file.ts.
import type {
  HowItStarts,
  StartMechanism,
  StartupNotice,
  StartupOption,
} from '../model/startup.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, appError } from '../errors.js';
import { renderServiceUnit } from '../systemd/unit-file.js';

export interface Starter {
  mechanism: StartMechanism;
  id: string;
  /** Whether it is in effect (enabled unit, enabled @reboot line, effective autostart file). */
  active: boolean;
  argv: string[] | null;
  /** The starter in words, for people ("the @reboot line … in your crontab"): never only an id. */
  detail: string;
}

/** Words naming a crontab line. */
export function cronStarterWords(line: string): string {
  return t('startup:starter.cron', { line });
}

/** Words naming an autostart entry. */
export function autostartStarterWords(name: string, file: string): string {
  return t('startup:starter.autostart', { name, file });
}

/** Words naming a user unit. */
export function unitStarterWords(unit: string, enabled: boolean): string {
  return t(enabled ? 'startup:starter.unitEnabled' : 'startup:starter.unit', { unit });
}

function sameCommand(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function howItStarts(argv: string[], starters: readonly Starter[]): HowItStarts {
  const via = starters
    .filter((s) => s.active && s.argv !== null && sameCommand(s.argv, argv))
    .map(({ mechanism, id, detail }) => ({ mechanism, id, detail }));
  const duplicate = via.length > 1;
  const notices: StartupNotice[] = [];
  if (duplicate)
    notices.push({
      code: 'duplicate',
      severity: 'warning',
      message: t('startup:notice.duplicate', {
        count: via.length,
        starters: via.map((v) => v.detail).join('; '),
      }),
    });
  return { argv, via, duplicate, notices, options: startupOptions(via) };
}

/** The three ways to start something automatically, with their trade-offs; a user unit first. */
export function startupOptions(via: HowItStarts['via'] = []): StartupOption[] {
  const existing = (m: StartMechanism) => via.filter((v) => v.mechanism === m).map((v) => v.detail);
  return [
    {
      mechanism: 'systemd',
      title: t('startup:option.systemd.title'),
      recommended: true,
      restartsOnCrash: true,
      logs: t('startup:option.systemd.logs'),
      needsLogin: false,
      summary: t('startup:option.systemd.summary'),
      existing: existing('systemd'),
    },
    {
      mechanism: 'cron',
      title: t('startup:option.cron.title'),
      recommended: false,
      restartsOnCrash: false,
      logs: t('startup:option.cron.logs'),
      needsLogin: false,
      summary: t('startup:option.cron.summary'),
      existing: existing('cron'),
    },
    {
      mechanism: 'xdg-autostart',
      title: t('startup:option.autostart.title'),
      recommended: false,
      restartsOnCrash: false,
      logs: t('startup:option.autostart.logs'),
      needsLogin: true,
      summary: t('startup:option.autostart.summary'),
      existing: existing('xdg-autostart'),
    },
  ];
}

/**
 * A user unit that runs the command, restarts it on failure and starts with the user manager:
 * written by the one unit writer (systemd/unit-file.ts), with its quoting and `%` escaping.
 * Throws (invalid-input) on a command a unit cannot hold.
 */
export function serviceUnit(argv: readonly string[], description: string): string {
  const p = renderServiceUnit({
    name: 'startup',
    // eslint-disable-next-line no-control-regex
    description: description.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\\+$/, ''),
    argv: [...argv],
    workingDirectory: null,
    environment: [],
    restart: 'on-failure',
    restartSec: 2,
    startAtLogin: true,
    afterNetwork: false,
    socket: null,
  });
  const file = p.files[0];
  if (file === undefined)
    throw new AppFailure(appError('invalid-input', p.issues.map((i) => i.message).join(' ')));
  return file.text;
}
