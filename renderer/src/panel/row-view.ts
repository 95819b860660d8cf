// What a panel row's switch means and where opening a row leads, per kind of entry. Pure.
//
// Services, processes and sessions: the switch is "running" (start/stop). @reboot lines and
// autostart files live in the "At login/boot" group, where the switch is "starts at login/boot"
// (enable/disable); whether the command runs right now is the status dot. Either way the switch
// only ever asks for an action the entry lists in `actions`.
import type { Entry, EntryAction } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';
import { isOn, toggleAction } from '../lib/entry-view.js';

export function isStartupEntry(entry: Entry): boolean {
  return entry.kind === 'cron' || entry.kind === 'autostart';
}

export function switchOn(entry: Entry): boolean {
  if (!isStartupEntry(entry)) return isOn(entry);
  if (entry.actions.includes('disable')) return true;
  if (entry.actions.includes('enable')) return false;
  return entry.autostart.enabled;
}

export function switchAction(entry: Entry): EntryAction | null {
  if (!isStartupEntry(entry)) return toggleAction(entry);
  const wanted: EntryAction = switchOn(entry) ? 'disable' : 'enable';
  return entry.actions.includes(wanted) ? wanted : null;
}

/** A crontab line with a schedule (not @reboot): it carries its next run as a timer does. */
export function isTimedCron(entry: Entry): boolean {
  return entry.kind === 'cron' && entry.timer !== undefined;
}

/** What opening a row shows: the startup wizard for @reboot and autostart, else the detail window. */
export function openTarget(entry: Entry): 'startup' | 'detail' {
  return isStartupEntry(entry) && !isTimedCron(entry) ? 'startup' : 'detail';
}

/** What the switch means, for screen readers: the row's state says whether it runs now. */
export function switchMeaning(entry: Entry): string | null {
  if (!isStartupEntry(entry)) return null;
  if (isTimedCron(entry))
    return switchOn(entry) ? t('cron:row.runsOnSchedule') : t('cron:row.notOnSchedule');
  if (entry.kind === 'cron')
    return switchOn(entry) ? t('panel:startup.startsAtBoot') : t('panel:startup.noStartAtBoot');
  return switchOn(entry) ? t('panel:startup.startsAtLogin') : t('panel:startup.noStartAtLogin');
}

/** The words beside a startup row's switch: "At login" or "At boot". */
export function switchCaption(entry: Entry): string | null {
  if (!isStartupEntry(entry)) return null;
  if (isTimedCron(entry)) return t('cron:row.onSchedule');
  return entry.kind === 'cron' ? t('panel:startup.atBoot') : t('panel:startup.atLogin');
}
