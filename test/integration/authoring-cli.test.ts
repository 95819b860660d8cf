// The authoring CLI as a user runs it (bin/daemon-deck.js, built) against the sandbox's systemd:
// create, show, edit, delete and undo; --dry-run and bad input write nothing; logs.
import { spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import { DAEMON_DECK_BIN, runCli } from '../helpers/cli.js';

describe('daemon-deck unit / logs', () => {
  let sb: Sandbox;
  const cli = (...args: string[]) => runCli(sb.env, ...args);
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
    const c = await cli(
      'unit',
      'create',
      '--name',
      'web',
      '--description',
      'Pretend web',
      '--exec',
      '/bin/sh',
      '--arg=-c',
      '--arg',
      'echo started; exec sleep 100000',
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
    const c = await cli(
      'unit',
      'create',
      '--name',
      'ticker',
      '--exec',
      '/bin/sh',
      '--arg=-c',
      '--arg',
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
});
