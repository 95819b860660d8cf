// The setup area of the IPC contract (issue 17): export what the user made, plan an import, apply
// it as one transaction, undo it. Also the schema of the setup file itself: an import checks the
// file against it before anything is read from it, and a refusal names the field.
import { z } from 'zod';
import type { WatchRule } from '../../main/core/model/processes.js';
import {
  SETUP_KIND,
  SETUP_VERSION,
  type SetupFile,
  type SetupOutcome,
  type SetupPlan,
} from '../../main/core/model/setup.js';
import { field, returns } from '../channel.js';
import { entryId, payload, text, token } from '../schemas.js';
import { hostNameSchema } from '../settings-schemas.js';

/** At most this many bytes per file: unit files and .desktop files are small. */
const MAX_FILE = 1024 * 1024;

/** A unit file name: no folder, a type systemd knows. */
export const setupUnitName = z
  .string()
  .max(255)
  .regex(
    /^[A-Za-z0-9_:\\-][A-Za-z0-9_.:\\@-]*\.(service|socket|timer|path|target|mount|automount|swap|slice)$/,
    'A unit is NAME.service, NAME.timer, NAME.socket...: no folder, no spaces.',
  );
const desktopFile = z
  .string()
  .max(255)
  .regex(/^[^/\0\n\r.][^/\0\n\r]*\.desktop$/, 'An autostart entry is NAME.desktop, no folder.');
const base64 = z
  .string()
  .max(Math.ceil(MAX_FILE / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'This is not base64.');
/** A file's bytes: `text` (UTF-8) or `base64`, exactly one. */
const bytes = {
  text: text(MAX_FILE).optional(),
  base64: base64.optional(),
};
const oneOf = (o: { text?: string | undefined; base64?: string | undefined }) =>
  (o.text === undefined) !== (o.base64 === undefined);
const oneOfMessage = { message: 'Give the bytes as "text" or as "base64", one of them.' };

/** A drop-in file name: FILE.conf, no folder. */
export const setupDropInName = z
  .string()
  .max(255)
  .regex(/^[^/\0\n\r.][^/\0\n\r]*\.conf$/, 'A drop-in is NAME.conf, no folder.');
const dropIn = payload({ file: setupDropInName, ...bytes }).refine(oneOf, oneOfMessage);
const unit = payload({
  name: setupUnitName,
  enabled: z.boolean(),
  running: z.boolean(),
  ...bytes,
  dropIns: z.array(dropIn).max(1000).optional(),
}).refine(oneOf, oneOfMessage);
const cronLine = payload({
  line: z
    .string()
    .max(8192)
    .regex(/^@reboot[ \t]+[^\s]/, 'A crontab line here is an @reboot line: @reboot COMMAND.')
    .refine((s) => !/[\0\n\r]/.test(s), 'A crontab line is one line.'),
  enabled: z.boolean(),
});
const autostart = payload({ file: desktopFile, ...bytes }).refine(oneOf, oneOfMessage);
const watchRule = payload({
  name: z.string().max(64),
  pattern: text(4096),
  full: z.boolean(),
  exact: z.boolean(),
  start: z.array(text(65_536)).max(4096).nullable(),
  cwd: text(4096).nullable(),
  log: text(4096).nullable(),
}) satisfies z.ZodType<WatchRule>;

/** The setup file, version 1. Unknown keys are refused: a misspelt key is never ignored. */
export const setupFileSchema = payload({
  kind: z.literal(SETUP_KIND, {
    error: `This is not a Daemon Deck setup file (kind "${SETUP_KIND}").`,
  }),
  version: z.literal(SETUP_VERSION, {
    error: `This build reads setup files of version ${SETUP_VERSION}.`,
  }),
  units: z.array(unit).max(10_000),
  crontab: z.array(cronLine).max(10_000),
  autostart: z.array(autostart).max(10_000),
  watchRules: z.array(watchRule).max(10_000),
});

// The parsed shape is the model's (bytes as text or base64, exactly one: checked by refine).
type Parsed = z.output<typeof setupFileSchema>;
export type SetupFileShape = Parsed & Pick<SetupFile, 'kind' | 'version'>;

/** `host`: a far host by its name in settings (its setup is read and written there); absent, here. */
const onHost = { host: hostNameSchema.optional() };
const hostArg = (host: string | undefined) => (host === undefined ? {} : { host });

const planRequest = payload({
  /** The setup file's text, as read from disk (checked against the schema by the core). */
  text: text(64 * 1024 * 1024),
  ...onHost,
});
const importRequest = payload({
  text: planRequest.shape.text,
  replace: z.boolean(),
  ...onHost,
});

export const setupChannels = {
  /** The setup file of what the user made (ids given: only those), as its text. */
  'setup:export': returns<string>()('exportSetup', field('ids', z.array(entryId).max(10_000))),
  /** What importing the file would do here (or on `host`). Writes nothing. */
  'setup:plan': returns<SetupPlan>()('planSetup', {
    payload: planRequest,
    args: (text: string, host?: string) => ({ text, ...hostArg(host) }),
  }),
  /** Import the file as one transaction (`replace`: also overwrite what exists and differs). */
  'setup:import': returns<SetupOutcome>()('importSetup', {
    payload: importRequest,
    args: (text: string, replace: boolean, host?: string) => ({ text, replace, ...hostArg(host) }),
  }),
  /** Undo an import; `host`: the host the import was made on (the token's host). */
  'setup:undo': returns<null>()('undoSetup', {
    payload: payload({ token, ...onHost }),
    args: (t: string, host?: string) => ({ token: t, ...hostArg(host) }),
  }),
};
