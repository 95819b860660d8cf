// Adopt's Undo records, kept in a file of the host the Adopt was made on (issue 17): beside the
// unit backups its Undo puts back ($XDG_DATA_HOME/daemon-deck/adopt-undos.json, as backups/ is),
// so another process (the CLI's `adopt --undo NAME`, the app after the CLI) can undo it there.
// Read and changed under the file's store lock (Host.updateFile); the file is the user's own
// (0600: it holds the command lines and folders of their processes).
import { join } from 'node:path';
import type { Host } from '../host/host.js';
import { appDirs } from '../xdg.js';

/** What an Undo of one Adopt needs: the unit to remove, and the command to start again. */
export interface AdoptUndoRecord {
  token: string;
  unit: string;
  /** The unit authoring's Undo token of the unit file the Adopt wrote. */
  authoringToken: string;
  argv: string[];
  cwd: string | null;
  enabled: boolean;
  /** When the Adopt was made (ISO): the last Adopt of a unit is the one `--undo NAME` undoes. */
  at: string;
}

/** Where Undo records outlive the process that made them. */
export interface AdoptUndoStore {
  put(record: AdoptUndoRecord): Promise<void>;
  get(token: string): Promise<AdoptUndoRecord | null>;
  /** The last Adopt as `unit` that can still be undone, or null. */
  latest(unit: string): Promise<AdoptUndoRecord | null>;
  remove(token: string): Promise<void>;
}

/** How many records are kept: the oldest beyond it are dropped (their backups stay). */
const KEEP = 100;

export function adoptUndosPath(env: NodeJS.ProcessEnv): string {
  return join(appDirs(env).data, 'adopt-undos.json');
}

function isRecord(x: unknown): x is AdoptUndoRecord {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return (
    typeof r.token === 'string' &&
    typeof r.unit === 'string' &&
    typeof r.authoringToken === 'string' &&
    Array.isArray(r.argv) &&
    r.argv.every((a) => typeof a === 'string') &&
    (r.cwd === null || typeof r.cwd === 'string') &&
    typeof r.enabled === 'boolean' &&
    typeof r.at === 'string'
  );
}

/** The file's records; one that is not what this module writes reads as none (never thrown). */
function parse(data: Buffer | null): AdoptUndoRecord[] {
  if (data === null) return [];
  try {
    const value = JSON.parse(data.toString('utf8')) as unknown;
    return Array.isArray(value) ? value.filter(isRecord) : [];
  } catch {
    return [];
  }
}

/** The Undo records of Adopts made on `host`, in that host's data folder. */
export function hostAdoptUndos(host: Host): AdoptUndoStore {
  const path = adoptUndosPath(host.env);
  const read = async () => parse(await host.readOrNull(path));
  const change = async (fn: (records: AdoptUndoRecord[]) => AdoptUndoRecord[] | undefined) => {
    await host.updateFile(
      path,
      (current) => {
        const next = fn(parse(current));
        return next === undefined ? undefined : `${JSON.stringify(next, null, 2)}\n`;
      },
      0o600,
    );
  };
  return {
    put: (record) =>
      change((records) =>
        [...records.filter((r) => r.token !== record.token), record].slice(-KEEP),
      ),
    get: async (token) => (await read()).find((r) => r.token === token) ?? null,
    latest: async (unit) =>
      (await read())
        .filter((r) => r.unit === unit)
        .reduce<AdoptUndoRecord | null>(
          (last, r) => (last === null || r.at >= last.at ? r : last),
          null,
        ),
    remove: (token) =>
      change((records) =>
        records.some((r) => r.token === token)
          ? records.filter((r) => r.token !== token)
          : undefined,
      ),
  };
}
