// Unit authoring through the core against the sandbox's systemd --user: the unit the app writes
// runs exactly the argument list asked for; create, edit (full and drop-in), revert, delete and
// undo; invalid forms write nothing; a socket-activated service answers on loopback; a timer fires.
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceForm } from '../../main/core/model/authoring.js';
import {
  createSystemdMonitor,
  type SystemdMonitor,
} from '../../main/core/monitor/create-monitor.js';
import { AuthoringService } from '../../main/core/systemd/authoring-service.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { done } from '../helpers/result.js';
import { serviceForm, sleeperUnit, unitArg, waitFor } from '../helpers/units.js';

const form = (over: Partial<ServiceForm>) =>
  serviceForm({ name: 'x', description: 'test', ...over });

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listTree(p)).map((x) => `${e.name}/${x}`));
    else out.push(e.name);
  }
  return out.sort();
}

describe('unit authoring (core)', () => {
  let sb: Sandbox;
  let monitor: SystemdMonitor;
  let authoring: AuthoringService;
  let writer: string;

  beforeAll(async () => {
    sb = await startSandbox({ label: 'authoring' });
    monitor = createSystemdMonitor({ env: sb.env });
    await monitor.start();
    authoring = new AuthoringService({ bus: monitor.bus, units: monitor.units, env: sb.env });
    // A program in a directory whose name needs quoting, which writes its arguments NUL-separated.
    const dir = join(sb.root, `bin dir $x %n é`);
    await mkdir(dir, { recursive: true });
    writer = join(dir, 'argv writer');
    await writeFile(
      writer,
      '#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done > "$ARGV_OUT"\n',
    );
    await chmod(writer, 0o755);
  });
  afterAll(async () => {
    await monitor?.stop();
    await sb?.stop();
  });

  /** Writes the service `over` describes, neither enabled nor started. */
  const written = async (over: Partial<ServiceForm>) =>
    done(await authoring.create(form(over), { enable: false, start: false }));

  it('makes systemd run exactly the argument list, for arbitrary arguments', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(unitArg, { maxLength: 6 }), async (args) => {
        const name = `argv-${n++}`;
        const out = join(sb.root, `${name}.out`);
        await written({
          name,
          argv: [writer, ...args],
          environment: [{ name: 'ARGV_OUT', value: out }],
        });
        // Type=simple: the start job is done once the process is spawned; wait for its output.
        expect((await monitor.units.act(`${name}.service`, 'start')).ok).toBe(true);
        const bytes = await waitFor(
          async () => {
            try {
              // The process must have exited before its file is read, or the read may be partial.
              const d = await monitor.units.detail(`${name}.service`);
              if (!d.ok || d.value.activeState === 'active') return null;
              return await readFile(out);
            } catch {
              return null;
            }
          },
          `${name} to write its arguments`,
          20_000,
        );
        const got = bytes.toString('utf8').split('\0').slice(0, -1);
        expect(got).toEqual(args);
      }),
      // No shrinking: each run is a real unit; the first failing argument list is reported as is.
      { numRuns: 25, endOnFailure: true },
    );
  }, 240_000);

  it('refuses newlines and NULs in arguments and writes nothing for an invalid form', async () => {
    const before = await listTree(sb.unitDir);
    for (const bad of [
      form({ name: 'bad-nl', argv: ['/bin/echo', 'a\nb'] }),
      form({ name: 'bad-nul', argv: ['/bin/echo', 'a\0b'] }),
      form({ name: 'bad name' }),
      form({ name: 'bad-rel', workingDirectory: 'relative/dir' }),
      form({ name: 'bad-prog', argv: ['/nonexistent/program'] }),
    ]) {
      const r = await authoring.create(bad, { enable: true, start: true });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid-input');
        expect(r.error.message).toMatch(/line break|NUL|name|absolute|systemd refused/);
      }
    }
    expect(await listTree(sb.unitDir)).toEqual(before);
  });

  it('creates, enables and starts a service; a second create with the same name is a conflict', async () => {
    const f = form({
      name: 'web',
      description: 'Web 100%',
      argv: ['sleep', '100000'],
      startAtLogin: true,
      restart: 'on-failure',
      restartSec: 2,
    });
    const r = done(await authoring.create(f, { enable: true, start: true }));
    expect(r.steps).toEqual([
      'verified',
      'written',
      'reloaded',
      'enabled web.service',
      'started web.service',
    ]);
    expect((await sb.systemctl('is-active', 'web.service')).stdout.trim()).toBe('active');
    expect((await sb.systemctl('is-enabled', 'web.service')).stdout.trim()).toBe('enabled');
    const text = await readFile(join(sb.unitDir, 'web.service'), 'utf8');
    expect(text).toContain('ExecStart="/usr/bin/sleep" "100000"');
    expect((await sb.systemctl('show', '-p', 'Description', 'web.service')).stdout.trim()).toBe(
      'Description=Web 100%',
    );
    const def = await authoring.definition('systemd:web.service');
    expect(def.ok && def.value.ownedByApp).toBe(true);
    expect(def.ok && def.value.form).toEqual({ ...f, argv: ['/usr/bin/sleep', '100000'] });
    const again = await authoring.create(f, { enable: false, start: false });
    expect(again.ok ? null : again.error.code).toBe('conflict');
  });

  it('edits an app unit in full, with a diff, and Undo restores the exact bytes', async () => {
    const path = join(sb.unitDir, 'web.service');
    const original = await readFile(path);
    const edited = original.toString('utf8').replace('Description=Web 100%%', 'Description=Edited');
    const prev = await authoring.previewEdit('web.service', edited);
    expect(prev.ok && prev.value.mode).toBe('full');
    expect(prev.ok && prev.value.diff).toContain('-Description=Web 100%%\n+Description=Edited');
    const bad = await authoring.editText(
      'web.service',
      edited.replace('/usr/bin/sleep', '/nonexistent/sleep'),
    );
    expect(bad.ok ? null : bad.error.message).toMatch(/systemd refused the edit.*not executable/);
    expect(await readFile(path)).toEqual(original);
    const r = done(await authoring.editText('web.service', edited));
    expect((await sb.systemctl('show', '-p', 'Description', 'web.service')).stdout.trim()).toBe(
      'Description=Edited',
    );
    const u = await authoring.undo(r.undo.id);
    expect(u.ok, JSON.stringify(u)).toBe(true);
    expect(await readFile(path)).toEqual(original);
    expect((await sb.systemctl('show', '-p', 'Description', 'web.service')).stdout.trim()).toBe(
      'Description=Web 100%',
    );
    const twice = await authoring.undo(r.undo.id);
    expect(twice.ok).toBe(false);
  });

  it('edits a unit it did not create through a drop-in; Undo and revert-to-vendor', async () => {
    const vendorText = sleeperUnit('Vendor unit');
    await sb.writeUnit('vendor.service', vendorText);
    await sb.daemonReload();
    const override = '[Service]\nEnvironment=FOO=bar\n';
    const def = await authoring.definition('vendor.service');
    expect(def.ok && def.value.ownedByApp).toBe(false);
    const prev = await authoring.previewEdit('vendor.service', override);
    expect(prev.ok && prev.value).toMatchObject({
      mode: 'drop-in',
      path: join(sb.unitDir, 'vendor.service.d', 'override.conf'),
      problems: [],
    });
    expect(prev.ok && prev.value.diff).toContain('+Environment=FOO=bar');
    const r = done(await authoring.editText('vendor.service', override));
    expect(await readFile(join(sb.unitDir, 'vendor.service.d', 'override.conf'), 'utf8')).toBe(
      override,
    );
    expect((await sb.systemctl('show', '-p', 'Environment', 'vendor.service')).stdout.trim()).toBe(
      'Environment=FOO=bar',
    );
    expect(await readFile(join(sb.unitDir, 'vendor.service'), 'utf8')).toBe(vendorText);
    // Undo removes the drop-in and its directory again.
    expect((await authoring.undo(r.undo.id)).ok).toBe(true);
    expect(await listTree(sb.unitDir)).not.toContain('vendor.service.d/override.conf');
    expect((await sb.systemctl('show', '-p', 'Environment', 'vendor.service')).stdout.trim()).toBe(
      'Environment=',
    );
    // Revert to vendor removes drop-ins; its Undo brings them back byte for byte.
    const again = await authoring.editText('vendor.service', override);
    expect(again.ok).toBe(true);
    await writeFile(
      join(sb.unitDir, 'vendor.service.d', 'extra.conf'),
      '[Unit]\nDescription=Extra\n',
    );
    await sb.daemonReload();
    const rv = await authoring.revertToVendor('vendor.service');
    expect(rv.ok, JSON.stringify(rv)).toBe(true);
    if (!rv.ok) return;
    expect((await sb.systemctl('show', '-p', 'Description', 'vendor.service')).stdout.trim()).toBe(
      'Description=Vendor unit',
    );
    expect((await authoring.undo(rv.value.undo.id)).ok).toBe(true);
    expect(await readFile(join(sb.unitDir, 'vendor.service.d', 'extra.conf'), 'utf8')).toBe(
      '[Unit]\nDescription=Extra\n',
    );
    expect(await readFile(join(sb.unitDir, 'vendor.service.d', 'override.conf'), 'utf8')).toBe(
      override,
    );
    expect((await sb.systemctl('show', '-p', 'Description', 'vendor.service')).stdout.trim()).toBe(
      'Description=Extra',
    );
    // Not ours: not deleted.
    const del = await authoring.remove('vendor.service');
    expect(del.ok ? null : del.error.code).toBe('unsupported');
  });

  it('refuses Undo over a later edit', async () => {
    const r = await authoring.editText('vendor.service', '[Service]\nEnvironment=A=1\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    await writeFile(
      join(sb.unitDir, 'vendor.service.d', 'override.conf'),
      '[Service]\nEnvironment=A=2\n',
    );
    const u = await authoring.undo(r.value.undo.id);
    expect(u.ok ? null : u.error.code).toBe('conflict');
  });

  it('edits an app unit in its form; Undo restores the exact bytes', async () => {
    const path = join(sb.unitDir, 'web.service');
    const original = await readFile(path);
    const def = await authoring.definition('web.service');
    expect(def.ok && def.value.form).not.toBeNull();
    if (!def.ok || def.value.form === null) return;
    const edited = {
      ...def.value.form,
      restart: 'always' as const,
      restartSec: 7,
      environment: [{ name: 'MODE', value: 'a b' }],
    };
    const r = done(await authoring.updateForm('web.service', edited));
    const shown = (await sb.systemctl('show', '-p', 'Restart', '-p', 'Environment', 'web.service'))
      .stdout;
    expect(shown).toContain('Restart=always');
    expect(shown).toMatch(/Environment="?MODE=a b"?/);
    const back = await authoring.definition('web.service');
    expect(back.ok && back.value.form).toEqual(edited);
    const renamed = await authoring.updateForm('web.service', { ...edited, name: 'other' });
    expect(renamed.ok ? null : renamed.error.message).toMatch(/name cannot change/);
    const foreign = await authoring.updateForm('vendor.service', { ...edited, name: 'vendor' });
    expect(foreign.ok ? null : foreign.error.code).toBe('unsupported');
    expect((await authoring.undo(r.undo.id)).ok).toBe(true);
    expect(await readFile(path)).toEqual(original);
  });

  it('deletes an app unit (stop, disable, remove) and Undo brings it back running and enabled', async () => {
    const path = join(sb.unitDir, 'web.service');
    const bytes = await readFile(path);
    const r = done(await authoring.remove('systemd:web.service'));
    expect(r.steps).toEqual(['stopped web.service', 'disabled web.service', 'removed', 'reloaded']);
    expect(await listTree(sb.unitDir)).not.toContain('web.service');
    expect((await sb.systemctl('is-active', 'web.service')).stdout.trim()).toBe('inactive');
    const u = await authoring.undo(r.undo.id);
    expect(u.ok, JSON.stringify(u)).toBe(true);
    expect(await readFile(path)).toEqual(bytes);
    expect((await sb.systemctl('is-active', 'web.service')).stdout.trim()).toBe('active');
    expect((await sb.systemctl('is-enabled', 'web.service')).stdout.trim()).toBe('enabled');
  });

  it('creates a socket-activated service that answers a real TCP connection on loopback', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const r = await authoring.create(
      form({
        name: 'echo',
        argv: ['/bin/sh', '-c', 'read line; echo "got $line"'],
        socket: { listen: String(port), accept: true },
      }),
      { enable: true, start: true },
    );
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect((await sb.systemctl('is-active', 'echo.socket')).stdout.trim()).toBe('active');
    const reply = await new Promise<string>((resolve, reject) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => s.write('hello\n'));
      let data = '';
      s.on('data', (d) => (data += d.toString()));
      s.on('end', () => resolve(data));
      s.on('error', reject);
      setTimeout(() => reject(new Error(`no reply, got "${data}"`)), 10_000).unref();
    });
    expect(reply).toBe('got hello\n');
    const def = await authoring.definition('echo@.service');
    expect(def.ok && def.value.form?.socket).toEqual({ listen: `127.0.0.1:${port}`, accept: true });
  });

  it('creates a timer that fires', async () => {
    const out = join(sb.root, 'timer.out');
    await written({
      name: 'tick',
      argv: ['/bin/sh', '-c', 'date +%s >> "$OUT"'],
      environment: [{ name: 'OUT', value: out }],
    });
    expect((await sb.systemctl('show', '-p', 'ExecStart', 'tick.service')).stdout).toContain(
      'date +%s',
    );
    const t = await authoring.createTimer(
      {
        unit: 'tick',
        description: '',
        onCalendar: null,
        onBootSec: null,
        onActiveSec: '1s',
        persistent: false,
      },
      { enable: true },
    );
    expect(t.ok, JSON.stringify(t)).toBe(true);
    await waitFor(
      async () => {
        try {
          return (await readFile(out, 'utf8')).length > 0;
        } catch {
          return false;
        }
      },
      'the timer to fire',
      15_000,
    );
    const none = await authoring.createTimer(
      {
        unit: 'nothing',
        description: '',
        onCalendar: 'daily',
        onBootSec: null,
        onActiveSec: null,
        persistent: false,
      },
      { enable: false },
    );
    expect(none.ok ? null : none.error.code).toBe('no-such-unit');
  });

  it('lists timers with their next and last run, and previews calendar times', async () => {
    const t = await authoring.timers();
    expect(t.ok, JSON.stringify(t)).toBe(true);
    const tick = t.ok ? t.value.find((x) => x.unit === 'tick.timer') : undefined;
    expect(tick).toMatchObject({ activates: 'tick.service', active: true, enabled: true });
    expect(tick?.lastRun).not.toBeNull();
    const p = await authoring.calendarPreview('Mon *-*-* 09:00', 3);
    expect(p.ok, JSON.stringify(p)).toBe(true);
    if (p.ok) {
      expect(p.value).toHaveLength(3);
      for (const iso of p.value) {
        const d = new Date(iso);
        expect([d.getUTCDay(), d.getUTCHours(), d.getUTCMinutes()]).toEqual([1, 9, 0]);
        expect(d.getTime()).toBeGreaterThan(Date.now());
      }
    }
    const bad = await authoring.calendarPreview('every tuesday-ish', 3);
    expect(bad.ok ? null : bad.error.message).toMatch(/not a calendar time/);
  });

  it('shows logs from the output file of a unit, follows them by cursor, and explains an empty journal', async () => {
    const log = join(sb.root, 'chatty.log');
    await written({
      name: 'chatty',
      argv: ['/bin/sh', '-c', 'i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.2; done'],
    });
    const drop = await authoring.editText(
      'chatty.service',
      `[Service]\nStandardOutput=append:${log}\n`,
    );
    // chatty is ours, so a text edit rewrites it in full; put the setting in the file itself.
    expect(drop.ok ? null : drop.error.code).toBe('invalid-input');
    const def = await authoring.definition('chatty.service');
    const text = (def.ok ? def.value.fragment : '')!.replace(
      '[Service]\n',
      `[Service]\nStandardOutput=append:${log}\n`,
    );
    expect((await authoring.editText('chatty.service', text)).ok).toBe(true);
    expect((await monitor.units.act('chatty.service', 'start')).ok).toBe(true);
    await waitFor(async () => {
      const l = await authoring.logs('chatty.service', { lines: 3 });
      return l.ok && l.value.lines.length === 3;
    }, 'three lines of output');
    const first = await authoring.logs('chatty.service', { lines: 2 });
    expect(first.ok && first.value).toMatchObject({ source: 'file', path: log, emptyReason: null });
    if (!first.ok) return;
    expect(first.value.lines.map((l) => l.message)).toEqual([
      expect.stringMatching(/^line \d+$/),
      expect.stringMatching(/^line \d+$/),
    ]);
    const lastN = Number(first.value.lines[1]!.message.split(' ')[1]);
    const cursor = first.value.lines[1]!.cursor;
    const next = await waitFor(async () => {
      const l = await authoring.logs('chatty.service', { afterCursor: cursor });
      return l.ok && l.value.lines.length > 0 ? l.value : null;
    }, 'new lines after the cursor');
    expect(next.lines[0]!.message).toBe(`line ${lastN + 1}`);
    // A unit that logs to the journal: journald does not run in the sandbox, and we say so.
    const j = await authoring.logs('web.service', { lines: 10 });
    expect(j.ok && j.value).toMatchObject({ source: 'journal', lines: [] });
    expect(j.ok && j.value.emptyReason).toMatch(/journald is not running/);
  });

  it('measures live CPU and memory of a busy unit from /proc', async () => {
    const r = await authoring.create(
      form({ name: 'busy', argv: ['/bin/sh', '-c', 'while :; do :; done'] }),
      { enable: false, start: true },
    );
    expect(r.ok, JSON.stringify(r)).toBe(true);
    await monitor.settled();
    const first = await authoring.resources('systemd:busy.service');
    expect(first.ok, JSON.stringify(first)).toBe(true);
    await new Promise((res) => setTimeout(res, 700));
    const second = await authoring.resources('systemd:busy.service');
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    const main = (
      await sb.systemctl('show', '-p', 'MainPID', '--value', 'busy.service')
    ).stdout.trim();
    expect(second.value.processes.map((p) => p.pid)).toContain(Number(main));
    expect(second.value.mainPid).toBe(Number(main));
    // A busy loop: well above an idle sleeper even on a loaded 2-core machine (~25% seen there).
    expect(second.value.cpu).toBeGreaterThan(5);
    const sleeper = await authoring.resources('systemd:web.service');
    expect(sleeper.ok && sleeper.value.cpu).toBeLessThan(2);
    expect(second.value.memory).toBeGreaterThan(100_000);
    expect(second.value.tasks).toBeGreaterThanOrEqual(1);
    expect(second.value.uptimeSec).not.toBeNull();
    const idle = await authoring.resources('systemd:vendor.service');
    expect(idle.ok && idle.value).toMatchObject({ processes: [], memory: 0, cpu: null });
    expect((await monitor.units.act('busy.service', 'stop')).ok).toBe(true);
  });
});
