// The authoring CLI as a user runs it (bin/daemon-deck.js, built) against the sandbox's systemd:
// create, show, edit, delete and undo; --dry-run and bad input write nothing; logs.
import { spawn } from 'node:child_process';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDir } from '../../main/core/systemd/backup-store.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import { DAEMON_DECK_BIN, runCli } from '../helpers/cli.js';

describe('daemon-deck unit / logs', () => {
  let sb: Sandbox;
  const cli = (...args: string[]) => runCli(sb.env, ...args);
  /** `unit create NAME` of a unit that runs `script` with /bin/sh -c, with `flags` added. */
  const createShUnit = (name: string, script: string, ...flags: string[]) =>
    cli(
      'unit',
      'create',
      '--name',
      name,
      '--exec',
      '/bin/sh',
      '--arg=-c',
      '--arg',
      script,
      ...flags,
    );
  const tree = async () => (await readdir(sb.unitDir, { recursive: true })).sort();

  beforeAll(async () => {
    sb = await startSandbox({ label: 'authoring-cli' });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('--dry-run prints the unit and writes nothing; bad input fails with one line and writes nothing', async () => {
    const before = await tree();
    const dry = await cli(
      'unit',
      'create',
      '--name',
      'web',
      '--exec',
      'sleep 100%',
      '--env',
      'GREETING=hi $USER',
      '--restart',
      'on-failure',
      '--restart-sec',
      '3',
      '--dry-run',
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('ExecStart="/usr/bin/sleep" "100%%"');
    expect(dry.stdout).toContain('Environment="GREETING=hi $USER"');
    expect(dry.stdout).toContain('RestartSec=3s');
    for (const bad of [
      ['unit', 'create', '--name', 'bad name', '--exec', '/bin/true'],
      ['unit', 'create', '--name', 'nl', '--exec', '/bin/echo', '--arg', 'a\nb'],
      ['unit', 'create', '--name', 'shell', '--exec', 'echo a > b'],
      ['unit', 'create', '--name', 'nope', '--exec', '/nonexistent/prog', '--start'],
    ]) {
      const r = await cli(...bad);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^daemon-deck: /);
    }
    expect((await cli('unit', 'create', '--exec', '/bin/true')).code).toBe(2);
    expect(await tree()).toEqual(before);
  });

  it('creates, shows, edits, deletes and undoes a service', async () => {
    const log = join(sb.root, 'web.log');
    const c = await createShUnit(
      'web',
      'echo started; exec sleep 100000',
      '--description',
      'Pretend web',
      '--enable',
      '--start',
      '--json',
    );
    expect(c.code, c.stderr).toBe(0);
    const created = JSON.parse(c.stdout) as { paths: string[]; undo: { id: string } };
    expect(created.paths).toEqual([join(sb.unitDir, 'web.service')]);
    expect((await sb.systemctl('is-active', 'web.service')).stdout.trim()).toBe('active');
    expect((await sb.systemctl('is-enabled', 'web.service')).stdout.trim()).toBe('enabled');
    const show = await cli('unit', 'show', 'systemd:web.service');
    expect(show.stdout).toContain('(created by Daemon Deck)');
    expect(show.stdout).toContain('ExecStart="/bin/sh" "-c" "echo started; exec sleep 100000"');

    // Edit in full: send output to a file; then read it with `logs`.
    const original = await readFile(join(sb.unitDir, 'web.service'));
    const next = join(sb.root, 'web.next');
    await writeFile(
      next,
      original.toString().replace('[Service]\n', `[Service]\nStandardOutput=append:${log}\n`),
    );
    const dryEdit = await cli('unit', 'edit', 'web.service', '--file', next, '--dry-run');
    expect(dryEdit.stdout).toContain(`+StandardOutput=append:${log}`);
    expect(await readFile(join(sb.unitDir, 'web.service'))).toEqual(original);
    const e = await cli('unit', 'edit', 'web.service', '--file', next, '--json');
    expect(e.code, e.stderr).toBe(0);
    expect((await sb.systemctl('restart', 'web.service')).code).toBe(0);
    await waitFor(
      async () => (await cli('logs', 'web.service', '-n', '5')).stdout.includes('started'),
      'the log line',
    );
    const editUndo = (JSON.parse(e.stdout) as { undo: { id: string } }).undo.id;
    expect((await cli('unit', 'undo', editUndo)).code).toBe(0);
    expect(await readFile(join(sb.unitDir, 'web.service'))).toEqual(original);

    // Its output now goes to the journal, which does not run here: say why it is empty.
    const j = await cli('logs', 'web.service');
    expect(j.code).toBe(0);
    expect(j.stderr).toMatch(/journald is not running/);

    const d = await cli('unit', 'delete', 'web.service', '--json');
    expect(d.code, d.stderr).toBe(0);
    expect(await tree()).not.toContain('web.service');
    expect((await sb.systemctl('is-active', 'web.service')).stdout.trim()).not.toBe('active');
    const u = await cli('unit', 'undo', (JSON.parse(d.stdout) as { undo: { id: string } }).undo.id);
    expect(u.code, u.stderr).toBe(0);
    expect(await readFile(join(sb.unitDir, 'web.service'))).toEqual(original);
    expect((await sb.systemctl('is-active', 'web.service')).stdout.trim()).toBe('active');
    expect((await sb.systemctl('is-enabled', 'web.service')).stdout.trim()).toBe('enabled');
    // The create's own undo no longer applies cleanly only if the file changed; it did not.
    expect((await cli('unit', 'undo', created.undo.id)).code).toBe(0);
    expect(await tree()).not.toContain('web.service');
  });

  it('logs -f follows a file until interrupted', async () => {
    const log = join(sb.root, 'ticker.log');
    const c = await createShUnit(
      'ticker',
      'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.3; done',
      '--start',
    );
    expect(c.code, c.stderr).toBe(0);
    const text = (await readFile(join(sb.unitDir, 'ticker.service'), 'utf8')).replace(
      '[Service]\n',
      `[Service]\nStandardOutput=append:${log}\n`,
    );
    const f = join(sb.root, 'ticker.next');
    await writeFile(f, text);
    expect((await cli('unit', 'edit', 'ticker', '--file', f)).code).toBe(0);
    expect((await sb.systemctl('restart', 'ticker.service')).code).toBe(0);
    const child = spawn(process.execPath, [DAEMON_DECK_BIN, 'logs', 'ticker', '-n', '1', '-f'], {
      env: sb.env,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(
      () => out.split('\n').filter((l) => l.startsWith('tick ')).length >= 4,
      'four followed lines',
      20_000,
    );
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    const ticks = out
      .split('\n')
      .filter((l) => l.startsWith('tick '))
      .map((l) => Number(l.slice(5)));
    // Consecutive, no line lost or repeated between polls.
    expect(ticks).toEqual(ticks.map((_, i) => ticks[0]! + i));
    expect((await cli('unit', 'delete', 'ticker')).code).toBe(0);
  });

  it('edits a unit it did not create through a drop-in and refuses to delete it', async () => {
    await sb.writeUnit('other.service', sleeperUnit('Other'));
    await sb.daemonReload();
    const f = join(sb.root, 'override');
    await writeFile(f, '[Unit]\nDescription=Overridden\n');
    const e = await cli('unit', 'edit', 'other.service', '--file', f);
    expect(e.code, e.stderr).toBe(0);
    expect(await readFile(join(sb.unitDir, 'other.service.d', 'override.conf'), 'utf8')).toBe(
      '[Unit]\nDescription=Overridden\n',
    );
    expect((await sb.systemctl('show', '-p', 'Description', 'other.service')).stdout.trim()).toBe(
      'Description=Overridden',
    );
    expect((await cli('unit', 'revert', 'other.service')).code).toBe(0);
    expect((await sb.systemctl('show', '-p', 'Description', 'other.service')).stdout.trim()).toBe(
      'Description=Other',
    );
    const del = await cli('unit', 'delete', 'other.service');
    expect(del.code).toBe(1);
    expect(del.stderr).toMatch(/not created by Daemon Deck/);
  });

  describe('issue 12 defects', () => {
    it('five parallel creates of one name: one "Created", four "the name is taken"', async () => {
      const runs = await Promise.all(
        Array.from({ length: 5 }, () =>
          cli('unit', 'create', '--name', 'same', '--exec', '/bin/sleep', '--arg', '100000'),
        ),
      );
      const won = runs.filter((r) => r.code === 0);
      expect(won, JSON.stringify(runs)).toHaveLength(1);
      expect(won[0]!.stdout).toMatch(/^Created: /);
      const lost = runs.filter((r) => r.code !== 0);
      expect(lost).toHaveLength(4);
      for (const r of lost) {
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(
          /^daemon-deck: .*same\.service already exists .*the name is taken/,
        );
      }
      // The one unit there is the winner's, and its undo still applies (nobody overwrote it).
      const token = /unit undo (\S+)/.exec(won[0]!.stdout)![1]!;
      expect((await cli('unit', 'undo', token)).code).toBe(0);
      expect(await tree()).not.toContain('same.service');
    });

    it('a unit created without --enable can be enabled later', async () => {
      const c = await cli(
        'unit',
        'create',
        '--name',
        'later',
        '--exec',
        '/bin/sleep',
        '--arg',
        '9',
      );
      expect(c.code, c.stderr).toBe(0);
      expect((await sb.systemctl('is-enabled', 'later.service')).stdout.trim()).toBe('disabled');
      const e = await sb.systemctl('enable', 'later.service');
      expect(e.code, e.stderr).toBe(0);
      expect((await sb.systemctl('is-enabled', 'later.service')).stdout.trim()).toBe('enabled');
      expect((await sb.systemctl('disable', 'later.service')).code).toBe(0);
    });

    it('--dry-run fails where the real run fails: a taken name, a missing program, a too long name', async () => {
      await sb.writeUnit('taken.service', sleeperUnit('Taken'));
      await sb.daemonReload();
      const before = await tree();
      const cases: Array<[string[], RegExp]> = [
        [['--name', 'taken', '--exec', '/bin/true'], /taken\.service already exists/],
        [['--name', 'noprog', '--exec', '/nonexistent/prog'], /systemd refused the unit/],
        [['--name', 'x'.repeat(235), '--exec', '/bin/true'], /at most 230 bytes/],
      ];
      for (const [args, why] of cases) {
        for (const dry of [['--dry-run'], []]) {
          const r = await cli('unit', 'create', ...args, ...dry);
          expect(r.code, `${args.join(' ')} ${dry.join(' ')}: ${r.stdout}`).toBe(1);
          expect(r.stderr).toMatch(why);
        }
      }
      expect(await tree()).toEqual(before);
      // A dry run of an edit that systemd refuses fails as the edit would.
      const f = join(sb.root, 'taken.next');
      await writeFile(f, '[Service]\nExecStart=/nonexistent/prog\n');
      const dry = await cli('unit', 'edit', 'taken.service', '--file', f, '--dry-run');
      expect(dry.code).toBe(1);
      expect(dry.stderr).toMatch(/systemd refused the edit/);
    });

    it("a full edit without the marker line keeps the unit the app's own", async () => {
      expect(
        (await cli('unit', 'create', '--name', 'mine', '--exec', '/bin/sleep', '--arg', '7')).code,
      ).toBe(0);
      const text = (await readFile(join(sb.unitDir, 'mine.service'), 'utf8'))
        .split('\n')
        .slice(1)
        .join('\n')
        .replace('Description=mine', 'Description=no marker');
      const f = join(sb.root, 'mine.next');
      await writeFile(f, text);
      const e = await cli('unit', 'edit', 'mine', '--file', f);
      expect(e.code, e.stderr).toBe(0);
      expect(e.stdout).toMatch(/kept the "Created by Daemon Deck" first line/);
      expect((await cli('unit', 'show', 'mine')).stdout).toContain('(created by Daemon Deck)');
      // Still ours: a second edit is a full edit (not a drop-in), and delete is allowed.
      const again = await cli('unit', 'edit', 'mine', '--file', f, '--dry-run');
      expect(again.stdout).toContain(`Would write ${join(sb.unitDir, 'mine.service')} (full)`);
      expect((await cli('unit', 'delete', 'mine')).code).toBe(0);
    });

    it('edit --file refuses bytes that are not UTF-8 and writes nothing', async () => {
      await sb.writeUnit('latin.service', sleeperUnit('Latin'));
      await sb.daemonReload();
      const before = await tree();
      const f = join(sb.root, 'latin1.conf');
      await writeFile(
        f,
        Buffer.concat([Buffer.from('[Unit]\nDescription=caf'), Buffer.of(0xe9, 0x0a)]),
      );
      const r = await cli('unit', 'edit', 'latin.service', '--file', f);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/latin1\.conf is not valid UTF-8 text/);
      expect(await tree()).toEqual(before);
    });

    it('a missing backup is reported as missing, not as the session bus', async () => {
      await sb.writeUnit('backed.service', sleeperUnit('Backed'));
      await sb.daemonReload();
      const f = join(sb.root, 'backed.conf');
      await writeFile(f, '[Unit]\nDescription=Changed\n');
      const e = await cli('unit', 'edit', 'backed.service', '--file', f, '--json');
      expect(e.code, e.stderr).toBe(0);
      const token = (JSON.parse(e.stdout) as { undo: { id: string } }).undo.id;
      // Undo of a new drop-in removes it and needs no backup bytes; back the edit over it.
      const e2 = await cli('unit', 'edit', 'backed.service', '--file', f, '--json');
      const token2 = (JSON.parse(e2.stdout) as { undo: { id: string } }).undo.id;
      await rm(join(backupDir(sb.env), token2, '0.bak'));
      const u = await cli('unit', 'undo', token2);
      expect(u.code).toBe(1);
      expect(u.stderr).not.toMatch(/session bus/);
      expect(u.stderr).toMatch(/backup .*0\.bak is missing/);
      // Nothing was restored: the first edit's undo (same bytes) still applies.
      expect((await cli('unit', 'undo', token)).code).toBe(0);
    });
  });
});
