// The checks a unit change runs before its first write, shared by the real run and --dry-run:
// the program resolved on PATH, the form's issues, and systemd's own verify.
//
// Relies on (systemd 252, PLATFORM-NOTES): `systemd-analyze --user verify FILE...` loads the given
// files in a private manager (no bus needed) with their directory first in the unit search path,
// so a copy in a temporary directory is checked together with its drop-ins (`NAME.d/*.conf`
// beside it). A bad command path (missing, not executable) or bad syntax makes it exit non-zero;
// unknown keys are only warned about.
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { FormIssue, RenderedFile, ServiceForm, UnitPreview } from '../model/authoring.js';
import { AppFailure, appError, fileError } from '../errors.js';
import { t } from '../../../i18n/index.js';
import type { Host } from '../host/host.js';
import { homeDir } from '../xdg.js';
import { renderServiceUnit } from './unit-file.js';

/** An absolute program for argv[0]: a bare name is looked up on PATH, as a shell would. */
export async function resolveProgram(program: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (program.startsWith('~/')) return join(homeDir(env), program.slice(2));
  if (program.startsWith('/') || program === '' || program.includes('/')) return program;
  for (const dir of (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    if (!dir.startsWith('/')) continue;
    const candidate = join(dir, program);
    try {
      await access(candidate, fsConstants.X_OK);
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      continue;
    }
  }
  return program;
}

export async function resolveForm(form: ServiceForm, env: NodeJS.ProcessEnv): Promise<ServiceForm> {
  const [program, ...rest] = form.argv;
  if (program === undefined) return form;
  return { ...form, argv: [await resolveProgram(program, env), ...rest] };
}

/** The preview of a form with its program resolved on PATH; needs no systemd. Writes nothing. */
export async function previewServiceForm(
  form: ServiceForm,
  env: NodeJS.ProcessEnv,
): Promise<UnitPreview> {
  const resolved = await resolveForm(form, env);
  const preview = renderServiceUnit(resolved);
  const program = form.argv[0];
  if (
    program !== undefined &&
    program !== '' &&
    !program.includes('/') &&
    resolved.argv[0] === program
  ) {
    preview.issues = preview.issues.map((i) =>
      i.field === 'argv.0'
        ? { field: 'argv.0', message: t('errors:unitFile.notOnPath', { program }) }
        : i,
    );
  }
  return preview;
}

/** A form's issues as one error: each message, and `field: message` lines as the detail. */
export function issuesFailure(issues: FormIssue[]): AppFailure {
  return new AppFailure(
    appError(
      'invalid-input',
      issues.map((i) => i.message).join(' '),
      issues.map((i) => `${i.field}: ${i.message}`).join('\n'),
    ),
  );
}

/**
 * Run `systemd-analyze --user verify` on copies of `files` (and drop-ins per unit) in a private
 * temporary directory. Returns the complaints and whether verify passed.
 */
export async function verifyUnits(
  host: Host,
  files: RenderedFile[],
  dropIns: Array<{ unit: string; name: string; text: string | Buffer }> = [],
): Promise<{ ok: boolean; problems: string[] }> {
  if (host.name !== 'local') return verifyThere(host, files, dropIns);
  // A private folder of our own: plain writes, so a long name fails only where the real write would.
  const dir = await mkdtemp(join(tmpdir(), 'dd-verify-'));
  try {
    for (const f of files) await writeFile(join(dir, f.name), f.text);
    for (const d of dropIns) {
      await mkdir(join(dir, `${d.unit}.d`), { recursive: true });
      await writeFile(join(dir, `${d.unit}.d`, d.name), d.text);
    }
    return await analyzeCopies(host, dir, files);
  } catch (err) {
    if (err instanceof AppFailure) throw err;
    throw new AppFailure(
      fileError(err, dir, 'write') ??
        appError('internal', t('errors:unitFile.analyzeFailed', { error: String(err) })),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** systemd-analyze verify on the copies in `dir`: its complaints, without the folder's name. */
async function analyzeCopies(
  host: Host,
  dir: string,
  files: RenderedFile[],
): Promise<{ ok: boolean; problems: string[] }> {
  const r = await host.run(
    ['systemd-analyze', '--user', 'verify', ...files.map((f) => join(dir, f.name))],
    { env: { ...host.env, LC_ALL: 'C', SYSTEMD_LOG_COLOR: '0' }, timeoutMs: 60_000 },
  );
  const problems = `${r.stderr}\n${r.stdout}`
    .split('\n')
    .map((l) => l.split(`${dir}/`).join('').trim())
    .filter((l) => l !== '');
  return { ok: r.code === 0, problems };
}

/**
 * verifyUnits on another host (issue 17): its systemd-analyze reads the copies there, so they are
 * written there, in a private folder mktemp makes on that side, through the host.
 */
async function verifyThere(
  host: Host,
  files: RenderedFile[],
  dropIns: Array<{ unit: string; name: string; text: string | Buffer }>,
): Promise<{ ok: boolean; problems: string[] }> {
  const made = await host.run(['mktemp', '-d', '-t', 'dd-verify-XXXXXXXX']);
  const dir = made.stdout.trim();
  if (made.code !== 0 || !dir.startsWith('/'))
    throw new AppFailure(
      appError('internal', t('errors:unitFile.analyzeFailed', { error: made.stderr.trim() })),
    );
  try {
    for (const f of files) await host.writeFileAtomic(join(dir, f.name), f.text);
    for (const d of dropIns) await host.writeFileAtomic(join(dir, `${d.unit}.d`, d.name), d.text);
    return await analyzeCopies(host, dir, files);
  } finally {
    await host.run(['rm', '-rf', '--', dir]);
  }
}

/** Throws the verify result as the real run reports it. */
export function requireVerified(
  v: { ok: boolean; problems: string[] },
  what: 'unit' | 'edit',
): void {
  if (!v.ok)
    throw new AppFailure(
      appError(
        'invalid-input',
        t(what === 'edit' ? 'errors:unitFile.refusedEdit' : 'errors:unitFile.refusedUnit', {
          reason: v.problems[v.problems.length - 1] ?? t('errors:unitFile.verifyFailed'),
        }),
        v.problems.join('\n'),
      ),
    );
}

/**
 * Fails as the first write would when `path`'s folder (or the nearest folder that exists above
 * it, which the write would create it in) cannot be written: read-only, permission denied.
 */
export async function requireWritableFolder(path: string): Promise<void> {
  let dir = dirname(path);
  for (;;) {
    try {
      await access(dir, fsConstants.W_OK);
      return;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ENOENT' && dirname(dir) !== dir) {
        dir = dirname(dir);
        continue;
      }
      throw new AppFailure(
        fileError(err, path, 'write') ??
          appError('access-denied', t('errors:unitFile.cannotWrite', { dir }), String(err)),
      );
    }
  }
}
