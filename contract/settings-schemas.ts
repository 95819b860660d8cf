// The checks of the settings a person can change, shared by the settings file
// (main/core/settings/settings-schema.ts) and the settings:update channel, so the words a person
// reads for a bad value are the same wherever it comes from.
import { z } from 'zod';
import { LANGUAGE_SETTINGS, t } from '../i18n/index.js';

/** A zod message read when the check fails, so it is in the language of that moment. */
export function said(key: string, options?: Record<string, unknown>): { error: () => string } {
  return { error: () => t(key, options) };
}

export const POLL_MIN_MS = 1000;
export const POLL_MAX_MS = 60_000;
export const LOG_LINES_MAX = 10;

export const themeSchema = z.enum(['system', 'light', 'dark'], said('settings:errors.theme'));
export const languageSchema = z.enum(
  LANGUAGE_SETTINGS as ['system', 'en', 'ko'],
  said('settings:errors.language'),
);
/** Strays the user said to leave alone, by command line (the Strays page's Ignore). */
export const IGNORED_STRAYS_MAX = 200;
export const ignoredStraysSchema = z
  .array(
    z
      .string(said('settings:errors.strayItem'))
      .min(1, said('settings:errors.strayItem'))
      .max(4096, said('settings:errors.strayItem')),
    said('settings:errors.strays'),
  )
  .max(IGNORED_STRAYS_MAX, said('settings:errors.straysMax', { max: IGNORED_STRAYS_MAX }));
export const pollIntervalSchema = z
  .number(said('settings:errors.pollNumber'))
  .int(said('settings:errors.pollWhole'))
  .min(POLL_MIN_MS, said('settings:errors.pollMin'))
  .max(POLL_MAX_MS, said('settings:errors.pollMax'));
/** A log file's size past which the Logs tab warns: 1 KiB to 1 TiB. */
export const logWarnBytesSchema = z
  .number(said('settings:errors.logWarnNumber'))
  .int(said('settings:errors.logWarnWhole'))
  .min(1024, said('settings:errors.logWarnMin'))
  .max(2 ** 40, said('settings:errors.logWarnMax'));
export const logLinesSchema = z
  .number(said('settings:errors.logLinesNumber'))
  .int(said('settings:errors.logLinesWhole'))
  .min(0, said('settings:errors.logLinesRange', { max: LOG_LINES_MAX }))
  .max(LOG_LINES_MAX, said('settings:errors.logLinesRange', { max: LOG_LINES_MAX }));

/**
 * Other hosts (issue 17): a name and an SSH destination as the user's ~/.ssh/config knows it,
 * nothing more. The destination can never be read by ssh as an option (no leading '-') and holds
 * no spaces or control characters; 'local' names this machine.
 */
export const HOSTS_MAX = 50;
export const hostNameSchema = z
  .string(said('settings:errors.hostNameText'))
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, said('settings:errors.hostName'))
  .refine((n) => n !== 'local', said('settings:errors.hostLocal'));
export const hostDestinationSchema = z
  .string(said('settings:errors.destinationText'))
  .min(1, said('settings:errors.destinationEmpty'))
  .max(255, said('settings:errors.destinationLong'))
  .refine((d) => !d.startsWith('-'), said('settings:errors.destinationDash'))
  .refine(
    (d) => ![...d].some((c) => c.trim() === '' || c.charCodeAt(0) < 0x20 || c === '\x7f'),
    said('settings:errors.destinationSpaces'),
  );
export const hostSchema = z.object({ name: hostNameSchema, destination: hostDestinationSchema });
export const hostsSchema = z
  .array(hostSchema)
  .max(HOSTS_MAX, said('settings:errors.hostsMax', { max: HOSTS_MAX }));
