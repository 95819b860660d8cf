// "Will it start?" (issue 15, "Done when" 1): each check plants its fault in the sandbox, asserts
// the finding (entry, severity, code), applies the fix the app offers (or, where it offers a step,
// does that step), and asserts the finding is gone. A healthy entry of every kind yields no error
// or warning.
import { chmod, mkdir, readFile, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorFinding } from '../../main/core/model/doctor.js';
import { startDoctorWorld, type DoctorWorld } from './doctor-world.js';

const service = (exec: string, extra: string[] = [], install = 'default.target') =>
  ['[Service]', `ExecStart=${exec}`, ...extra, '', '[Install]', `WantedBy=${install}`, ''].join(
    '\n',
  );

async function applyFix(w: DoctorWorld, f: DoctorFinding): Promise<void> {
  expect(f.fix?.kind, JSON.stringify(f)).toBe('action');
  if (f.fix?.kind !== 'action') return;
  const r = await w.doctor.fix(f.fix.action);
  expect(r, JSON.stringify(r)).toEqual({ ok: true, value: null });
}

describe('Will it start? checks', () => {
  let w: DoctorWorld;
  beforeAll(async () => {
    w = await startDoctorWorld('doctor');
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('a healthy entry of every kind yields no error or warning', async () => {
    await writeFile(join(w.lingerDir, 'root'), '');
    await w.startCron();
    await w.enableUnit('healthy.service', service('/bin/sleep 100000'));
    await w.sb.writeUnit('healthy-tick.service', '[Service]\nType=oneshot\nExecStart=/bin/true\n');
    await w.enableUnit(
      'healthy-tick.timer',
      '[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n',
    );
    expect((await w.sb.systemctl('start', 'healthy.service', 'healthy-tick.timer')).code).toBe(0);
    const cron = await w.startup.cron.add(['/bin/true', 'healthy']);
    expect(cron.ok).toBe(true);
    const auto = await w.startup.autostart.add('healthy', ['/bin/true', 'login']);
    expect(auto.ok).toBe(true);
    const r = await w.doctor.check();
    expect(r.ok).toBe(true);
    if (!r.ok || !cron.ok || !auto.ok) return;
    const ids = [
      'systemd:healthy.service',
      'systemd:healthy-tick.timer',
      `cron:${cron.value.key!}`,
      auto.value.id,
    ];
    for (const id of ids) expect(r.value.entries.map((e) => e.id)).toContain(id);
    const bad = r.value.findings.filter((f) => ids.includes(f.entry) && f.severity !== 'info');
    expect(bad).toEqual([]);
    // Clean up for the faults below.
    await w.startup.cron.remove(cron.value.key!);
    await w.startup.autostart.remove(auto.value.file);
    await w.sb.systemctl('disable', '--now', 'healthy.service', 'healthy-tick.timer');
    await w.stopCron();
    await rm(join(w.lingerDir, 'root'), { force: true });
  });

  describe('user units', () => {
    it('a program in ExecStart= that is missing', async () => {
      const prog = join(w.tools, 'later-tool');
      await w.enableUnit('missing-prog.service', service(`${prog} --serve`));
      await w.expectFinding('systemd:missing-prog.service', 'unit-program-missing', 'error');
      await writeFile(prog, '#!/bin/sh\nexec sleep 1000\n');
      await chmod(prog, 0o755);
      await w.expectNoFinding('systemd:missing-prog.service', 'unit-program-missing');
    });

    it('an ExecStartPre= program that is not executable (a `-` one is ignored)', async () => {
      const pre = join(w.tools, 'not-exec');
      await writeFile(pre, '#!/bin/sh\n');
      await w.enableUnit(
        'pre.service',
        service('/bin/sleep 1000', [
          `ExecStartPre=${pre}`,
          'ExecStartPre=-/nonexistent/ok-to-miss',
        ]),
      );
      const f = await w.expectFinding('systemd:pre.service', 'unit-program-missing', 'error');
      expect(f.message).toContain(pre);
      expect(
        (await w.findingsOf('systemd:pre.service')).filter(
          (x) => x.code === 'unit-program-missing',
        ),
      ).toHaveLength(1);
      await chmod(pre, 0o755);
      await w.expectNoFinding('systemd:pre.service', 'unit-program-missing');
    });

    it('a WorkingDirectory= that does not exist', async () => {
      const dir = join(w.sb.home, 'work-here');
      await w.enableUnit('wd.service', service('/bin/sleep 1000', [`WorkingDirectory=${dir}`]));
      await w.expectFinding('systemd:wd.service', 'unit-workdir-missing', 'error');
      await mkdir(dir);
      await w.expectNoFinding('systemd:wd.service', 'unit-workdir-missing');
    });

    it('enabled into a target that does not exist (multi-user.target)', async () => {
      await w.enableUnit('boot.service', service('/bin/sleep 1000', [], 'multi-user.target'));
      const f = await w.expectFinding('systemd:boot.service', 'unit-target-missing', 'error');
      expect(f.fix?.kind).toBe('step');
      // The step: WantedBy=default.target, then disable and enable.
      await w.sb.systemctl('disable', 'boot.service');
      await w.enableUnit('boot.service', service('/bin/sleep 1000'));
      await w.expectNoFinding('systemd:boot.service', 'unit-target-missing');
    });

    it('enabled into a target this session never reaches (graphical-session.target)', async () => {
      await w.enableUnit(
        'tray.service',
        service('/bin/sleep 1000', [], 'graphical-session.target'),
      );
      await w.expectFinding('systemd:tray.service', 'unit-target-not-reached', 'warning');
      await w.sb.systemctl('disable', 'tray.service');
      await w.enableUnit('tray.service', service('/bin/sleep 1000'));
      await w.expectNoFinding('systemd:tray.service', 'unit-target-not-reached');
    });

    it('the file changed on disk since systemd loaded it: Reload systemd', async () => {
      await w.enableUnit('edited.service', service('/bin/sleep 1000'));
      await w.sb.writeUnit('edited.service', service('/bin/sleep 2000'));
      const f = await w.expectFinding('systemd:edited.service', 'unit-needs-reload', 'warning');
      await applyFix(w, f);
      await w.expectNoFinding('systemd:edited.service', 'unit-needs-reload');
    });

    it('masked: Unmask', async () => {
      const dataUnits = join(w.sb.home, '.local', 'share', 'systemd', 'user');
      await mkdir(dataUnits, { recursive: true });
      await writeFile(join(dataUnits, 'masked.service'), service('/bin/sleep 1000'));
      await w.sb.daemonReload();
      expect((await w.sb.systemctl('enable', 'masked.service')).code).toBe(0);
      expect((await w.sb.systemctl('mask', 'masked.service')).code).toBe(0);
      const f = await w.expectFinding('systemd:masked.service', 'unit-masked', 'error');
      await applyFix(w, f);
      await w.expectNoFinding('systemd:masked.service', 'unit-masked');
      expect(await w.findingsOf('systemd:masked.service')).toEqual(
        (await w.findingsOf('systemd:masked.service')).filter((x) => x.severity === 'info'),
      );
    });

    it('linked to a file that is gone: Remove the link', async () => {
      const elsewhere = join(w.sb.root, 'elsewhere');
      await mkdir(elsewhere, { recursive: true });
      const file = join(elsewhere, 'linked.service');
      await writeFile(file, service('/bin/sleep 1000'));
      expect((await w.sb.systemctl('link', file)).code).toBe(0);
      expect((await w.sb.systemctl('enable', 'linked.service')).code).toBe(0);
      await unlink(file);
      await w.sb.daemonReload();
      const f = await w.expectFinding('systemd:linked.service', 'unit-link-broken', 'error');
      await applyFix(w, f);
      expect(await w.findingsOf('systemd:linked.service')).toEqual([]);
      const r = await w.doctor.check();
      expect(r.ok && r.value.entries.some((e) => e.id === 'systemd:linked.service')).toBe(false);
    });

    it('failed at the last start: Start again', async () => {
      const flag = join(w.sb.root, 'ready-flag');
      await w.enableUnit(
        'flaky.service',
        service(`/bin/sh -c "test -e ${flag}"`, ['Type=oneshot', 'RemainAfterExit=yes']),
      );
      await w.sb.systemctl('start', 'flaky.service');
      const f = await w.expectFinding('systemd:flaky.service', 'unit-failed', 'error');
      await writeFile(flag, '');
      await applyFix(w, f);
      await w.expectNoFinding('systemd:flaky.service', 'unit-failed');
    });

    it('a GUI program without DISPLAY and not after graphical-session.target (marked by the user)', async () => {
      const gui = join(w.tools, 'my-gui-app');
      await writeFile(gui, '#!/bin/sh\nexec sleep 1000\n');
      await chmod(gui, 0o755);
      expect(w.doctor.mark(gui, true).ok).toBe(true);
      await w.enableUnit('gui.service', service(gui));
      const a = await w.expectFinding('systemd:gui.service', 'unit-gui-no-display', 'warning');
      const b = await w.expectFinding(
        'systemd:gui.service',
        'unit-gui-not-after-session',
        'warning',
      );
      expect(a.guess).toMatchObject({ program: gui, gui: true, how: 'user' });
      expect(b.guess?.how).toBe('user');
      // The steps: the session passes DISPLAY, the unit is ordered after the session.
      expect((await w.sb.systemctl('set-environment', 'DISPLAY=:42')).code).toBe(0);
      await w.enableUnit(
        'gui.service',
        `[Unit]\nAfter=graphical-session.target\nPartOf=graphical-session.target\n\n${service(gui)}`,
      );
      await w.expectNoFinding('systemd:gui.service', 'unit-gui-no-display');
      await w.expectNoFinding('systemd:gui.service', 'unit-gui-not-after-session');
      // The user corrects the guess: no longer a GUI program, nothing about it.
      await w.sb.systemctl('unset-environment', 'DISPLAY');
      expect(w.doctor.mark(gui, false).ok).toBe(true);
      await w.expectNoFinding('systemd:gui.service', 'unit-gui-no-display');
      expect(w.doctor.mark(gui, null).ok).toBe(true);
    });

    it('a timer meant to run at set times while linger is off: Keep running after logout', async () => {
      await w.sb.writeUnit('backup.service', '[Service]\nType=oneshot\nExecStart=/bin/true\n');
      await w.enableUnit(
        'backup.timer',
        '[Timer]\nOnCalendar=*-*-* 03:00\n[Install]\nWantedBy=timers.target\n',
      );
      const f = await w.expectFinding('systemd:backup.timer', 'unit-needs-linger', 'warning');
      await applyFix(w, f);
      await w.expectNoFinding('systemd:backup.timer', 'unit-needs-linger');
      await rm(join(w.lingerDir, 'root'), { force: true });
    });

    it('a service that starts at login while linger is off (info): Keep running after logout', async () => {
      await rm(join(w.lingerDir, 'root'), { force: true });
      await w.enableUnit('at-login.service', service('/bin/sleep 1000'));
      const f = await w.expectFinding('systemd:at-login.service', 'unit-starts-at-login', 'info');
      await applyFix(w, f);
      await w.expectNoFinding('systemd:at-login.service', 'unit-starts-at-login');
      await rm(join(w.lingerDir, 'root'), { force: true });
      await w.sb.systemctl('disable', 'at-login.service');
    });
  });

  describe('@reboot lines', () => {
    const add = async (argv: string[]) => {
      const r = await w.startup.cron.add(argv);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      return r.ok ? `cron:${r.value.key!}` : '';
    };

    it('cron not running, then not set to start at boot', async () => {
      await w.stopCron();
      const id = await add(['/bin/sleep', '1']);
      await w.expectFinding(id, 'cron-not-running', 'error');
      await w.startCron();
      await w.expectNoFinding(id, 'cron-not-running');
      w.setCronAtBoot(false);
      await w.expectFinding(id, 'cron-not-at-boot', 'warning');
      w.setCronAtBoot(true);
      await w.expectNoFinding(id, 'cron-not-at-boot');
    });

    it('the user may not use cron (cron.allow, cron.deny)', async () => {
      const id = await add(['/bin/sleep', '2']);
      await writeFile(w.allowFile, 'someone-else\n');
      const f = await w.expectFinding(id, 'cron-denied', 'error');
      expect(f.message).toContain(w.allowFile);
      await writeFile(w.allowFile, 'someone-else\nroot\n');
      await w.expectNoFinding(id, 'cron-denied');
      await rm(w.allowFile);
      await writeFile(w.denyFile, 'root\n');
      await w.expectFinding(id, 'cron-denied', 'error');
      await rm(w.denyFile);
      await w.expectNoFinding(id, 'cron-denied');
    });

    it('a relative program cron will not find: Use the full path', async () => {
      const tool = join(w.tools, 'my-sync');
      await writeFile(tool, '#!/bin/sh\n');
      await chmod(tool, 0o755);
      const id = await add(['my-sync', '--daemon']);
      const f = await w.expectFinding(id, 'cron-program-not-on-path', 'error');
      await applyFix(w, f);
      const lines = (await w.cron.exec(['crontab', '-l'])).stdout;
      expect(lines).toContain(`${tool} --daemon`);
      // The key changes with the line: nothing of this kind is left on any line.
      const r = await w.doctor.check();
      expect(r.ok && r.value.findings.filter((x) => x.code === 'cron-program-not-on-path')).toEqual(
        [],
      );
    });

    it('a program that does not exist', async () => {
      const id = await add(['/nonexistent/bin/thing']);
      await w.expectFinding(id, 'cron-program-missing', 'error');
      await w.startup.cron.remove(id.slice('cron:'.length));
      expect(await w.findingsOf(id)).toEqual([]);
    });

    it('a GUI program (from the known list) gets no display from cron', async () => {
      const notify = join(w.tools, 'notify-send');
      await writeFile(notify, '#!/bin/sh\n');
      await chmod(notify, 0o755);
      const id = await add([notify, 'hello']);
      const f = await w.expectFinding(id, 'cron-gui', 'warning');
      expect(f.guess).toMatchObject({ how: 'known-list', detail: 'notify-send' });
      // The step: start it at login instead.
      await w.startup.cron.remove(id.slice('cron:'.length));
      expect(await w.findingsOf(id)).toEqual([]);
    });

    it('a program that links a GUI toolkit gets no display from cron; the user corrects the guess', async () => {
      // /bin/true with its libc.so.6 named libX11.so (the same length): read for its libraries,
      // never run.
      const bytes = await readFile('/bin/true');
      const at = bytes.indexOf('libc.so.6\0', 0, 'latin1');
      expect(at).toBeGreaterThan(0);
      bytes.write('libX11.so\0', at, 'latin1');
      const prog = join(w.tools, 'x-clock');
      await writeFile(prog, bytes);
      await chmod(prog, 0o755);
      const id = await add([prog, '--tick']);
      const f = await w.expectFinding(id, 'cron-gui', 'warning');
      expect(f.guess).toEqual({ program: prog, gui: true, how: 'toolkit', detail: 'libX11.so' });
      expect(f.message).toContain('libX11.so');
      // The user says it has no windows: nothing about it; forgetting the mark brings it back.
      expect(w.doctor.mark(prog, false).ok).toBe(true);
      await w.expectNoFinding(id, 'cron-gui');
      expect(w.doctor.mark(prog, null).ok).toBe(true);
      await w.expectFinding(id, 'cron-gui', 'warning');
      await w.startup.cron.remove(id.slice('cron:'.length));
    });

    it('an unescaped %', async () => {
      const line = '@reboot /bin/date +%s > /tmp/dd-doctor-never\n';
      const before = (await w.cron.exec(['crontab', '-l'])).stdout;
      expect((await w.cron.exec(['crontab', '-'], before + line)).code).toBe(0);
      const s = await w.startup.cron.list();
      const job = s.ok ? s.value.jobs.find((j) => j.command.includes('/bin/date')) : undefined;
      expect(job).toBeDefined();
      await w.expectFinding(job!.id, 'cron-percent', 'warning');
      expect((await w.cron.exec(['crontab', '-'], before + line.replace('%', '\\%'))).code).toBe(0);
      const r = await w.doctor.check();
      expect(r.ok && r.value.findings.filter((x) => x.code === 'cron-percent')).toEqual([]);
    });
  });

  describe('autostart entries', () => {
    const entry = (lines: string[]) =>
      ['[Desktop Entry]', 'Type=Application', ...lines, ''].join('\n');
    const put = async (file: string, lines: string[], dir = w.userAutostart) => {
      await writeFile(join(dir, file), entry(lines));
      return `autostart:${file}`;
    };

    it('the Exec program is missing', async () => {
      const prog = join(w.tools, 'panel-app');
      const id = await put('panel.desktop', ['Name=Panel', `Exec=${prog}`]);
      await w.expectFinding(id, 'autostart-exec-missing', 'error');
      await writeFile(prog, '#!/bin/sh\n');
      await chmod(prog, 0o755);
      await w.expectNoFinding(id, 'autostart-exec-missing');
    });

    it('the TryExec program is missing', async () => {
      const id = await put('try.desktop', [
        'Name=Try',
        'Exec=/bin/true',
        'TryExec=/nonexistent/try',
      ]);
      await w.expectFinding(id, 'autostart-tryexec-missing', 'warning');
      await put('try.desktop', ['Name=Try', 'Exec=/bin/true', 'TryExec=/bin/true']);
      await w.expectNoFinding(id, 'autostart-tryexec-missing');
    });

    it('Hidden=true: Turn on', async () => {
      const id = await put('hidden.desktop', [
        'Name=Hidden',
        'Exec=/bin/true hidden',
        'Hidden=true',
      ]);
      const f = await w.expectFinding(id, 'autostart-hidden', 'info');
      await applyFix(w, f);
      await w.expectNoFinding(id, 'autostart-hidden');
    });

    it('OnlyShowIn / NotShowIn leave this desktop out', async () => {
      const id = await put('kde-only.desktop', [
        'Name=KDE only',
        'Exec=/bin/true kde',
        'OnlyShowIn=KDE;',
      ]);
      const f = await w.expectFinding(id, 'autostart-not-this-desktop', 'warning');
      expect(f.message).toContain('GNOME');
      await put('kde-only.desktop', ['Name=KDE only', 'Exec=/bin/true kde', 'NotShowIn=GNOME;']);
      await w.expectFinding(id, 'autostart-not-this-desktop', 'warning');
      await put('kde-only.desktop', [
        'Name=KDE only',
        'Exec=/bin/true kde',
        'OnlyShowIn=KDE;GNOME;',
      ]);
      await w.expectNoFinding(id, 'autostart-not-this-desktop');
    });

    it('X-GNOME-Autostart-enabled=false', async () => {
      const id = await put('gnome-off.desktop', [
        'Name=Off in GNOME',
        'Exec=/bin/true g',
        'X-GNOME-Autostart-enabled=false',
      ]);
      const f = await w.expectFinding(id, 'autostart-gnome-disabled', 'warning');
      expect(f.message).toMatch(/systemd/);
      await put('gnome-off.desktop', ['Name=Off in GNOME', 'Exec=/bin/true g']);
      await w.expectNoFinding(id, 'autostart-gnome-disabled');
    });

    it('a system entry shadowed by a user one', async () => {
      await put(
        'shared.desktop',
        ['Name=Shared', 'Exec=/bin/true shared-system'],
        w.systemAutostart,
      );
      const id = await put('shared.desktop', ['Name=Shared', 'Exec=/bin/true shared-user']);
      const f = await w.expectFinding(id, 'autostart-shadowed', 'info');
      expect(f.message).toContain(w.systemAutostart);
      await rm(join(w.userAutostart, 'shared.desktop'));
      await w.expectNoFinding(id, 'autostart-shadowed');
      await rm(join(w.systemAutostart, 'shared.desktop'));
    });

    it('what desktop-file-validate reports', async () => {
      // No Name= key: desktop-file-validate says it is required.
      const id = await put('no-name.desktop', ['Exec=/bin/true noname']);
      const f = await w.expectFinding(id, 'autostart-invalid', 'warning');
      expect(f.message).toMatch(/Name/);
      await put('no-name.desktop', ['Name=Named', 'Exec=/bin/true noname']);
      await w.expectNoFinding(id, 'autostart-invalid');
    });
  });

  describe('across mechanisms', () => {
    it('the same command started twice, and at both login and boot', async () => {
      const argv = ['/bin/sleep', '4242'];
      const a = await w.startup.autostart.add('twice-a', argv);
      const b = await w.startup.autostart.add('twice-b', argv);
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      await w.expectFinding(a.value.id, 'started-twice', 'warning');
      await w.expectFinding(b.value.id, 'started-twice', 'warning');
      const c = await w.startup.cron.add(argv);
      expect(c.ok).toBe(true);
      if (!c.ok) return;
      const cid = `cron:${c.value.key!}`;
      await w.expectFinding(cid, 'login-and-boot', 'warning');
      await w.expectFinding(a.value.id, 'login-and-boot', 'warning');
      await w.startup.autostart.remove(b.value.file);
      await w.startup.cron.remove(c.value.key!);
      await w.expectNoFinding(a.value.id, 'started-twice');
      await w.expectNoFinding(a.value.id, 'login-and-boot');
    });
  });

  it('facts kept between checks follow every change: a reload, a file rewritten, a new unit', async () => {
    const one = async (id: string) => {
      const r = await w.doctor.check(id);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.findings.map((f) => f.code);
    };
    // A unit's loaded commands are kept until systemd reloads (its state does not change here).
    await w.enableUnit('kept.service', service('/bin/sleep 7001'));
    expect(await one('systemd:kept.service')).not.toContain('unit-program-missing');
    await w.sb.writeUnit('kept.service', service('/nonexistent/kept-prog'));
    expect(await one('systemd:kept.service')).toContain('unit-needs-reload');
    await w.sb.daemonReload();
    expect(await one('systemd:kept.service')).toContain('unit-program-missing');
    expect(await one('systemd:kept.service')).not.toContain('unit-needs-reload');
    // A desktop file is parsed and validated again when it is rewritten in place.
    const file = join(w.userAutostart, 'kept.desktop');
    await writeFile(file, '[Desktop Entry]\nType=Application\nName=Kept\nExec=/bin/sleep 7002\n');
    expect(await one('autostart:kept.desktop')).toEqual([]);
    await writeFile(file, '[Desktop Entry]\nType=Application\nName=Kept\nExec=/nonexistent/kept\n');
    expect(await one('autostart:kept.desktop')).toContain('autostart-exec-missing');
    // A unit written after the last check that runs the same command shows in one entry's check.
    await w.enableUnit('kept-twin.service', service('/nonexistent/kept-prog'));
    expect(await one('systemd:kept.service')).toContain('started-twice');
    await w.sb.systemctl('disable', 'kept.service', 'kept-twin.service');
    await rm(file);
  });

  it('the crontab text kept between checks follows a crontab changed from outside', async () => {
    const one = async (id: string) => {
      const r = await w.doctor.check(id);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.findings.map((f) => f.code);
    };
    // Counts the `crontab -l` runs of the app's store (the sandbox's own runs go around it).
    const run = w.host.run.bind(w.host);
    let reads = 0;
    w.host.run = (argv, o) => {
      if (argv.includes('crontab')) reads++;
      return run(argv, o);
    };
    try {
      const tool = join(w.tools, 'kept-cron-tool');
      await writeFile(tool, '#!/bin/sh\n');
      await chmod(tool, 0o755);
      const onPath = `PATH=/usr/bin:/bin:${w.tools}\n`;
      const line = '@reboot kept-cron-tool --once\n';
      expect((await w.cron.exec(['crontab', '-'], onPath + line)).code).toBe(0);
      // As long after the install as it takes cron's spool stamps to settle (2 s): a minute back.
      const settle = async (file: Date, dir = file) => {
        await utimes(join(w.cron.spool, 'root'), file, file);
        await utimes(w.cron.spool, dir, dir);
      };
      const past = new Date(Date.now() - 60_000);
      await settle(past);
      const s = await w.startup.cron.list();
      const id = s.ok ? s.value.jobs.find((j) => j.command === 'kept-cron-tool --once')?.id : '';
      expect(id).toMatch(/^cron:/);
      expect(await one(id!)).not.toContain('cron-program-not-on-path');
      // Nothing was installed since: the text read last is used, crontab(1) is not run.
      const before = reads;
      expect(await one(id!)).not.toContain('cron-program-not-on-path');
      expect(await one(id!)).not.toContain('cron-program-not-on-path');
      expect(reads).toBe(before);
      // Someone else installs a crontab without the PATH line: the next check reads it at once.
      expect((await w.cron.exec(['crontab', '-'], line)).code).toBe(0);
      expect(await one(id!)).toContain('cron-program-not-on-path');
      expect(reads).toBe(before + 1);
      // Settled again and kept; then the file is written by hand and the folder's stamp put back:
      // the file's own stamp (visible to root) tells.
      await settle(past);
      expect(await one(id!)).toContain('cron-program-not-on-path');
      expect(await one(id!)).toContain('cron-program-not-on-path');
      expect(reads).toBe(before + 2);
      await writeFile(join(w.cron.spool, 'root'), onPath + line);
      await settle(new Date(past.getTime() + 1000), past);
      expect(await one(id!)).not.toContain('cron-program-not-on-path');
      expect((await w.cron.exec(['crontab', '-r'])).code).toBe(0);
    } finally {
      w.host.run = run;
    }
  });

  it('reads without changing anything: the unit folder, crontab and autostart folder are unchanged by a check', async () => {
    const snap = async () => [
      (await w.cron.exec(['crontab', '-l'])).stdout,
      (await w.sb.systemctl('list-unit-files', '--no-legend')).stdout,
      JSON.stringify(await w.startup.autostart.list()),
    ];
    const before = await snap();
    await w.doctor.check();
    expect(await snap()).toEqual(before);
  });
});
