// The checks of the settings a person can change, shared by the settings file
// (main/core/settings/settings-schema.ts) and the settings:update channel, so the words a person
// reads for a bad value are the same wherever it comes from.
import { z } from 'zod';
import { LANGUAGE_SETTINGS } from '../i18n/index.js';

export const POLL_MIN_MS = 1000;
export const POLL_MAX_MS = 60_000;
export const LOG_LINES_MAX = 10;

export const themeSchema = z.enum(['system', 'light', 'dark'], {
  error: 'The theme is one of system, light or dark.',
});
export const languageSchema = z.enum(LANGUAGE_SETTINGS as ['system', 'en', 'ko'], {
  error: 'The language is one of system, en or ko.',
});
/** Strays the user said to leave alone, by command line (the Strays page's Ignore). */
export const IGNORED_STRAYS_MAX = 200;
export const ignoredStraysSchema = z
  .array(z.string({ error: 'An ignored stray is its command line.' }).min(1).max(4096), {
    error: 'The ignored strays are a list of command lines.',
  })
  .max(IGNORED_STRAYS_MAX, `At most ${IGNORED_STRAYS_MAX} strays can be ignored.`);
export const pollIntervalSchema = z
  .number({ error: 'The poll interval is a number of milliseconds.' })
  .int('The poll interval is a whole number of milliseconds.')
  .min(POLL_MIN_MS, 'The poll interval must be at least 1 second.')
  .max(POLL_MAX_MS, 'The poll interval must be at most 60 seconds.');
export const logLinesSchema = z
  .number({ error: 'The number of log lines is a number.' })
  .int('The number of log lines is a whole number.')
  .min(0, 'Show between 0 and 10 log lines.')
  .max(LOG_LINES_MAX, 'Show between 0 and 10 log lines.');

/**
 * Other hosts (issue 17): a name and an SSH destination as the user's ~/.ssh/config knows it,
 * nothing more. The destination can never be read by ssh as an option (no leading '-') and holds
 * no spaces or control characters; 'local' names this machine.
 */
export const HOSTS_MAX = 50;
export const hostNameSchema = z
  .string({ error: 'A host name is text.' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'A host name is letters, digits, ".", "_" or "-".')
  .refine((n) => n !== 'local', '"local" is this machine.');
export const hostDestinationSchema = z
  .string({ error: 'An SSH destination is text.' })
  .min(1, 'The SSH destination is empty.')
  .max(255, 'The SSH destination is too long.')
  .refine((d) => !d.startsWith('-'), 'An SSH destination cannot start with "-".')
  .refine(
    (d) => ![...d].some((c) => c.trim() === '' || c.charCodeAt(0) < 0x20 || c === '\x7f'),
    'An SSH destination has no spaces.',
  );
export const hostSchema = z.object({ name: hostNameSchema, destination: hostDestinationSchema });
export const hostsSchema = z.array(hostSchema).max(HOSTS_MAX, `At most ${HOSTS_MAX} hosts.`);
