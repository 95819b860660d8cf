// Autostart files written by the app, checked by the real tools (issue 5, "Done when" 4):
// desktop-file-validate accepts them, and systemd's xdg-autostart generator turns them into units
// with the right ExecStart, both run directly over private XDG folders and inside the sandbox's
// own systemd --user at daemon-reload; a disabled entry yields no unit.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutostartService } from '../../main/core/autostart/autostart-service.js';
import { sandboxSuite } from '../harness/sandbox-suite.js';

const execFileP = promisify(execFile);
const GENERATOR = '/usr/lib/systemd/user-generators/systemd-xdg-autostart-generator';

async function validate(path: string): Promise<string> {
  try {
    const { stdout, stderr } = await execFileP('desktop-file-validate', [path]);
    return stdout + stderr;
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('desktop-file-validate is missing: install desktop-file-utils', {
        cause: err,
      });
    return `FAILED: ${e.stdout ?? ''}${e.stderr ?? String(err)}`;
  }
}

/** Run the generator over the service's folders; returns unit name -> ExecStart. */
async function generate(env: NodeJS.ProcessEnv): Promise<Map<string, string>> {
  const out = await mkdtemp(join(tmpdir(), 'dd-gen-'));
  try {
    await execFileP(GENERATOR, [out, out, out], {
      env: {
        PATH: '/usr/bin:/bin',
        XDG_CONFIG_HOME: env.XDG_CONFIG_HOME,
        XDG_CONFIG_DIRS: env.XDG_CONFIG_DIRS,
        HOME: env.HOME,
      },
    });
    const units = new Map<string, string>();
    for (const name of await readdir(out)) {
      if (!name.endsWith('.service')) continue;
      const text = await readFile(join(out, name), 'utf8');
      units.set(name, /^ExecStart=(.*)$/m.exec(text)?.[1] ?? '');
    }
    return units;
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

describe('XDG autostart files', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let svc: AutostartService;
  let sysDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dd-autostart-'));
    sysDir = join(root, 'xdg', 'autostart');
    await mkdir(sysDir, { recursive: true });
    env = {
      HOME: join(root, 'home'),
      XDG_CONFIG_HOME: join(root, 'home', '.config'),
      XDG_CONFIG_DIRS: join(root, 'xdg'),
      XDG_DATA_HOME: join(root, 'home', '.local', 'share'),
      XDG_CURRENT_DESKTOP: 'GNOME',
      PATH: '/usr/bin:/bin',
    };
    svc = new AutostartService({ env, selfCommand: ['/opt/Daemon Deck/daemon-deck'] });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes files that desktop-file-validate accepts and the generator runs as written', async () => {
    const args = ['/usr/bin/printf', 'a b', '50%', "it's", '$HOME', '"q"', ''];
    const r = await svc.add('Odd Args', args, { comment: 'Prints its arguments' });
    expect(r).toMatchObject({ ok: true, value: { file: 'odd-args.desktop', effective: true } });
    const path = join(env.XDG_CONFIG_HOME!, 'autostart', 'odd-args.desktop');
    expect(await validate(path)).toBe('');
    const units = await generate(env);
    expect(units.get('app-odd\\x2dargs@autostart.service')).toBe(
      ':/usr/bin/printf "a b" 50%% "it\'s" "\\$HOME" "\\"q\\"" ""',
    );
    const listed = await svc.list();
    expect(
      listed.ok && listed.value.items.find((i) => i.file === 'odd-args.desktop')?.argv,
    ).toEqual(args);
  });

  it('a disabled entry yields no unit; enabling brings it back', async () => {
    const r = await svc.add('Sleeper', ['/usr/bin/sleep', '1000']);
    expect(r.ok).toBe(true);
    expect([...(await generate(env)).keys()]).toContain('app-sleeper@autostart.service');
    const off = await svc.setEnabled('sleeper.desktop', false);
    expect(off).toMatchObject({ ok: true, value: { enabled: false, effective: false } });
    expect(await validate(join(env.XDG_CONFIG_HOME!, 'autostart', 'sleeper.desktop'))).toBe('');
    expect([...(await generate(env)).keys()]).not.toContain('app-sleeper@autostart.service');
    const on = await svc.setEnabled('sleeper.desktop', true);
    expect(on).toMatchObject({ ok: true, value: { enabled: true, effective: true } });
    expect([...(await generate(env)).keys()]).toContain('app-sleeper@autostart.service');
  });

  it('disables a system entry with a user override and restores it exactly', async () => {
    const sysText =
      '[Desktop Entry]\nType=Application\nName=System Thing\nExec=/usr/bin/true --sys\n# keep me\n';
    await writeFile(join(sysDir, 'sys-thing.desktop'), sysText);
    const userPath = join(env.XDG_CONFIG_HOME!, 'autostart', 'sys-thing.desktop');
    let s = await svc.list();
    expect(s.ok && s.value.items.find((i) => i.file === 'sys-thing.desktop')).toMatchObject({
      origin: 'system',
      effective: true,
    });
    const off = await svc.setEnabled('sys-thing.desktop', false);
    expect(off).toMatchObject({ ok: true, value: { origin: 'user-override', enabled: false } });
    expect(await readFile(userPath, 'utf8')).toBe(
      sysText.replace('--sys\n', '--sys\nHidden=true\n'),
    );
    expect([...(await generate(env)).keys()]).not.toContain('app-sys\\x2dthing@autostart.service');
    expect(await readFile(join(sysDir, 'sys-thing.desktop'), 'utf8')).toBe(sysText);
    const on = await svc.setEnabled('sys-thing.desktop', true);
    expect(on).toMatchObject({ ok: true, value: { origin: 'system', effective: true } });
    expect(existsSync(userPath)).toBe(false);
    const rm1 = await svc.remove('sys-thing.desktop');
    expect(rm1).toMatchObject({ ok: false, error: { code: 'access-denied' } });
    s = await svc.list();
    expect(s.ok && s.value.items.some((i) => i.file === 'sys-thing.desktop')).toBe(true);
  });

  it('warns about backslashes, which systemd 252 unescapes once too often', async () => {
    const r = await svc.add('Slashy', ['/usr/bin/printf', 'a\\sb']);
    expect(r.ok && r.value.argv).toEqual(['/usr/bin/printf', 'a\\sb']);
    expect(r.ok && r.value.notices.map((n) => n.code)).toEqual(['backslash-in-exec']);
    // The quirk itself, so this notice goes when systemd gets it right.
    expect((await generate(env)).get('app-slashy@autostart.service')).toBe(
      ':/usr/bin/printf "a b"',
    );
    expect((await svc.remove('slashy.desktop')).ok).toBe(true);
  });

  it('honours OnlyShowIn and TryExec', async () => {
    await writeFile(
      join(sysDir, 'kde-only.desktop'),
      '[Desktop Entry]\nType=Application\nName=K\nExec=/usr/bin/true\nOnlyShowIn=KDE;\n',
    );
    await writeFile(
      join(sysDir, 'needs-tool.desktop'),
      '[Desktop Entry]\nType=Application\nName=T\nExec=/usr/bin/true\nTryExec=/opt/none/tool\n',
    );
    const s = await svc.list();
    const by = (f: string) => (s.ok ? s.value.items.find((i) => i.file === f) : undefined);
    expect(by('kde-only.desktop')?.notices.map((n) => n.code)).toEqual(['not-in-this-desktop']);
    expect(by('needs-tool.desktop')?.notices.map((n) => n.code)).toEqual(['try-exec-missing']);
    expect(by('kde-only.desktop')?.effective).toBe(false);
  });

  it('removes a user entry into a backup, and toggles the app own entry', async () => {
    expect(await svc.remove('odd-args.desktop')).toEqual({ ok: true, value: null });
    const backups = await readdir(join(env.XDG_DATA_HOME!, 'daemon-deck', 'autostart-backups'));
    expect(backups.some((b) => b.endsWith('odd-args.desktop'))).toBe(true);
    const self = await svc.setSelf(true);
    expect(self).toMatchObject({
      ok: true,
      value: { enabled: true, exec: '"/opt/Daemon Deck/daemon-deck"' },
    });
    expect(await validate(join(env.XDG_CONFIG_HOME!, 'autostart', 'daemon-deck.desktop'))).toBe('');
    expect(await svc.setSelf(false)).toMatchObject({ ok: true, value: { enabled: false } });
  });

  describe('inside a systemd --user manager', () => {
    const suite = sandboxSuite('autostart');

    it('daemon-reload runs the generator over the entries the app wrote', async () => {
      const { sb } = suite;
      const local = new AutostartService({ env: { ...sb.env, XDG_CURRENT_DESKTOP: 'GNOME' } });
      expect((await local.add('Dd Reload', ['/usr/bin/sleep', '500'])).ok).toBe(true);
      expect((await local.add('Dd Off', ['/usr/bin/sleep', '501'])).ok).toBe(true);
      expect((await local.setEnabled('dd-off.desktop', false)).ok).toBe(true);
      await sb.daemonReload();
      const on = await sb.systemctl(
        'show',
        '-p',
        'ExecStart',
        '-p',
        'LoadState',
        'app-dd\\x2dreload@autostart.service',
      );
      expect(on.stdout).toMatch(/LoadState=loaded/);
      expect(on.stdout).toMatch(/argv\[\]=\/usr\/bin\/sleep 500 /);
      const off = await sb.systemctl('show', '-p', 'LoadState', 'app-dd\\x2doff@autostart.service');
      expect(off.stdout).toMatch(/LoadState=not-found/);
    });
  });
});
