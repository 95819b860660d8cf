// Writing a file the way the app promises to: atomically and without leftovers.
//
// Relies on rename(2) within one folder being atomic: the data goes to a temp file beside the
// target (hidden, unique), is fsynced, and is renamed over the target; then the folder is
// fsynced. When any step fails (a full disk fails the write, a read-only folder the create), the
// temp file (and any folder this write had to create) is removed again and the target keeps its
// old bytes. The error thrown names the target in words (AppFailure), not the temp file.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { t } from '../../i18n/index.js';
import { AppFailure, appError, fileError } from './errors.js';

/** Write `data` to `path` atomically: a temp file beside it, fsync, rename, fsync the folder. */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  mode = 0o644,
): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.dd-${randomBytes(6).toString('hex')}`);
  let created = false;
  /** The first folder this call had to create, removed again when the write fails. */
  let madeDir: string | undefined;
  try {
    madeDir = await mkdir(dir, { recursive: true }).catch(async (err: unknown) => {
      // Node's recursive mkdir reports ENOENT for any failure to create (a read-only folder
      // too): one plain mkdir of the last level says what really went wrong.
      if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
      await mkdir(dir);
      return dir;
    });
    const fh = await open(tmp, 'wx', mode);
    created = true;
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await chmod(tmp, mode);
    await rename(tmp, path);
    created = false;
  } catch (err) {
    if (created) await rm(tmp, { force: true }).catch(() => undefined);
    if (madeDir !== undefined)
      await rm(madeDir, { recursive: true, force: true }).catch(() => undefined);
    throw new AppFailure(
      fileError(err, path) ??
        appError(
          'internal',
          t('errors:host.couldNotWrite', { path, reason: String(err) }),
          String(err),
        ),
    );
  }
  try {
    const d = await open(dir, 'r');
    await d.sync().finally(() => d.close());
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  }
}
