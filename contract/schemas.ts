// The payload schemas every area shares: one entry id, one argument vector, one text rule. What a
// value means (a unit name's rules, whether a program exists) is the core's to check; these only
// bound shapes and sizes before a payload reaches it.
import { z } from 'zod';

const noNul = (s: string) => !s.includes('\0');
const noControl = (s: string) => !/[\0\n\r]/.test(s);

/** Text of at most `max` characters, without NUL. */
export const text = (max: number) => z.string().max(max).refine(noNul, 'No NUL characters.');

/** One line of text (a name, a file name): no NUL, CR or LF. */
export const line = (max: number) =>
  z.string().min(1).max(max).refine(noControl, 'A name holds no control characters.');

/**
 * An entry id (`systemd:web.service`, `cron:KEY`...) or a bare unit name, as pins keep them: text
 * without control characters.
 */
export const entryId = z
  .string()
  .min(1)
  .max(512)
  .refine(noControl, 'An id holds no control characters.');

/** One argument of a command. */
export const arg = text(65_536);

/** A command as an argument vector: the program and its arguments. */
export const argv = z
  .array(arg)
  .min(1, 'A command needs at least the program to run.')
  .max(4096)
  .refine((a) => (a[0] ?? '') !== '', 'The program to run cannot be empty.');

/** A file path the user gives (the core resolves and checks it). */
export const path = text(4096);

/** An absolute file path. */
export const absolutePath = path.refine((s) => s.startsWith('/'), 'This must be an absolute path.');

export const pid = z.number().int().positive().max(4_194_304);

/** The token of an undo. */
export const token = line(512);

/** How many lines of a log, and after which cursor. */
export const logRange = {
  lines: z.number().int().min(1).max(100_000).optional(),
  afterCursor: text(4096).optional(),
  /** syslog priority: this one and the more urgent (journalctl -p). */
  priority: z.number().int().min(0).max(7).optional(),
  /** systemd.time(7) text or an ISO time (journalctl --since/--until). */
  since: text(256).optional(),
  until: text(256).optional(),
  /** A regular expression (journalctl --grep). */
  grep: text(1024).optional(),
};

/** An object payload: unknown keys are refused. */
export const payload = <T extends z.core.$ZodLooseShape>(shape: T) => z.object(shape).strict();
