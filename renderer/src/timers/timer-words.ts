// The catalog keys of the Timers page's choices, written whole (test/unit/i18n-keys.test.ts finds
// every key the code names as a literal).
import type { ScheduleKind, TimerRunSource, Weekday } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';

/** How the form says when a job runs: a schedule in words, an expression, or a duration. */
export type WhenMode = 'words' | 'calendar' | 'after-boot' | 'after-login' | 'every';
export const WHEN_MODES: readonly WhenMode[] = [
  'words',
  'calendar',
  'after-boot',
  'after-login',
  'every',
];

export const KIND_KEYS: Record<ScheduleKind, string> = {
  minutes: 'timers:form.kinds.minutes',
  hours: 'timers:form.kinds.hours',
  daily: 'timers:form.kinds.daily',
  weekdays: 'timers:form.kinds.weekdays',
  weekends: 'timers:form.kinds.weekends',
  weekly: 'timers:form.kinds.weekly',
  monthly: 'timers:form.kinds.monthly',
  'nth-weekday': 'timers:form.kinds.nth-weekday',
  yearly: 'timers:form.kinds.yearly',
};

export const MODE_KEYS: Record<WhenMode, string> = {
  words: 'timers:form.modes.words',
  calendar: 'timers:form.modes.calendar',
  'after-boot': 'timers:form.modes.after-boot',
  'after-login': 'timers:form.modes.after-login',
  every: 'timers:form.modes.every',
};

export const WEEKDAY_KEYS: Record<Weekday, string> = {
  Mon: 'timers:schedule.weekdays.Mon',
  Tue: 'timers:schedule.weekdays.Tue',
  Wed: 'timers:schedule.weekdays.Wed',
  Thu: 'timers:schedule.weekdays.Thu',
  Fri: 'timers:schedule.weekdays.Fri',
  Sat: 'timers:schedule.weekdays.Sat',
  Sun: 'timers:schedule.weekdays.Sun',
};

export const NTH_KEYS: Record<'1' | '2' | '3' | '4' | 'last', string> = {
  '1': 'timers:form.nths.1',
  '2': 'timers:form.nths.2',
  '3': 'timers:form.nths.3',
  '4': 'timers:form.nths.4',
  last: 'timers:form.nths.last',
};

/** The builder's issue keys (timer-schedule.ts) as whole catalog keys. */
export const ISSUE_KEYS: Record<string, string> = {
  'schedule.issue.time': 'timers:schedule.issue.time',
  'schedule.issue.minuteStep': 'timers:schedule.issue.minuteStep',
  'schedule.issue.hourStep': 'timers:schedule.issue.hourStep',
  'schedule.issue.minute': 'timers:schedule.issue.minute',
  'schedule.issue.days': 'timers:schedule.issue.days',
  'schedule.issue.day': 'timers:schedule.issue.day',
  'schedule.issue.nth': 'timers:schedule.issue.nth',
  'schedule.issue.month': 'timers:schedule.issue.month',
};

export const RESULT_KEYS: Record<string, string> = {
  success: 'timers:runs.result.success',
  'exit-code': 'timers:runs.result.exit-code',
  signal: 'timers:runs.result.signal',
  'core-dump': 'timers:runs.result.core-dump',
  timeout: 'timers:runs.result.timeout',
};

export const SOURCE_KEYS: Record<TimerRunSource, string> = {
  watched: 'timers:runs.source.watched',
  systemd: 'timers:runs.source.systemd',
  journal: 'timers:runs.source.journal',
};

/** One labelled choice of the schedule builder (Choice.svelte). */
export interface ChoiceProps {
  id: string;
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  onchange: (value: string) => void;
}

/** A run's result in words: systemd's Result= value, or null for none yet. */
export function resultWords(result: string | null): string {
  if (result === null) return t('timers:list.none');
  const key = RESULT_KEYS[result];
  return key !== undefined ? t(key) : t('timers:runs.result.other', { result });
}
