// The pure parts of "Will it start?": reading `systemctl show`, an ELF file's needed libraries,
// the GUI guess and who decided it, the rules over facts, and the blame order of the timing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseShow, type UnitFact } from '../../main/core/doctor/facts.js';
import { environmentOf, execsOf } from '../../main/core/doctor/unit-bus.js';
import { guessGui, readElfNeeded } from '../../main/core/doctor/gui-guess.js';
import { checkAcross, checkAutostart, checkUnit } from '../../main/core/doctor/rules.js';
import { processOutcome, unitOutcome } from '../../main/core/doctor/rehearse.js';
import { startupTiming } from '../../main/core/doctor/timing.js';

const SHOW = `ExecStartPre={ path=/bin/true ; argv[]=/bin/true x ; ignore_errors=yes ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }
ExecStartPre={ path=/bin/false ; argv[]=/bin/false ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }
ExecStart={ path=/opt/my prog/run ; argv[]=/opt/my prog/run a b ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }
WorkingDirectory=!/nope
Id=a.service
NeedDaemonReload=yes

Id=foo.target
LoadState=not-found
`;

const unitFact = (over: Partial<UnitFact> = {}): UnitFact => ({
  id: 'systemd:a.service',
  unit: 'a.service',
  wantedBy: ['default.target'],
  masked: false,
  linkBroken: false,
  show: { Id: 'a.service', LoadState: 'loaded', ActiveState: 'active', Result: 'success' },
  programs: [],
  workingDirectory: null,
  calendarTimer: false,
  gui: null,
  ...over,
});
const env = { systemdEnv: {}, lingering: true, desktops: ['GNOME'] };
const targets = { 'default.target': { loadState: 'loaded', activeState: 'active' } };

describe('reading systemctl and systemd over D-Bus', () => {
  it('splits units at blank lines and keeps every Exec command', () => {
    const [a, t] = parseShow(SHOW);
    expect(a?.Id).toBe('a.service');
    expect(a?.ExecStartPre?.split('\n')).toHaveLength(2);
    expect(t).toEqual({ Id: 'foo.target', LoadState: 'not-found' });
  });
  it('reads Exec* commands as D-Bus gives them (a(sasbttttuii))', () => {
    const row = (path: string, ignore: boolean) => [path, [path, 'x'], ignore, 0, 0, 0, 0, 0, 0, 0];
    expect(execsOf('ExecStartPre', [row('/bin/true', true), row('/bin/false', false)])).toEqual([
      { from: 'ExecStartPre', path: '/bin/true', ignore: true },
      { from: 'ExecStartPre', path: '/bin/false', ignore: false },
    ]);
    expect(execsOf('ExecStart', [row('/opt/my prog/run', false)])).toEqual([
      { from: 'ExecStart', path: '/opt/my prog/run', ignore: false },
    ]);
    expect(execsOf('ExecStart', undefined)).toEqual([]);
  });
  it("reads the manager's environment", () => {
    expect(environmentOf(['DISPLAY=:0', 'A=b=c', 'bad'])).toEqual({ DISPLAY: ':0', A: 'b=c' });
    expect(environmentOf(undefined)).toBeNull();
  });
});

describe('the GUI guess', () => {
  it('reads DT_NEEDED from a real ELF file and nothing from a script', () => {
    const needed = readElfNeeded(readFileSync('/bin/ls'));
    expect(needed).toContain('libc.so.6');
    expect(readElfNeeded(Buffer.from('#!/bin/sh\necho hi\n'))).toBeNull();
    expect(readElfNeeded(readFileSync('/bin/ls').subarray(0, 80))).toBeNull();
  });
  it('says how it decided: the user first, then a toolkit, then the known list', () => {
    const marks = new Map([['/usr/bin/gui-ish', false]]);
    expect(guessGui('/usr/bin/gui-ish', ['libgtk-3.so.0'], marks)).toMatchObject({
      gui: false,
      how: 'user',
    });
    expect(guessGui('/usr/bin/app', ['libc.so.6', 'libQt5Widgets.so.5'], new Map())).toMatchObject({
      gui: true,
      how: 'toolkit',
      detail: 'libQt5Widgets.so.5',
    });
    expect(guessGui('/usr/bin/notify-send', null, new Map())).toMatchObject({ how: 'known-list' });
    expect(guessGui('/usr/bin/rsync', ['libc.so.6'], new Map())).toBeNull();
  });
});

describe('rules', () => {
  it('a healthy unit has no finding; a masked one has only that', () => {
    expect(checkUnit(unitFact(), targets, env)).toEqual([]);
    const masked = checkUnit(unitFact({ masked: true }), targets, env);
    expect(masked.map((f) => f.code)).toEqual(['unit-masked']);
    expect(masked[0]?.fix).toMatchObject({
      kind: 'action',
      action: { kind: 'unmask', unit: 'a.service' },
    });
  });
  it('a `-` program may be missing; a plain one may not', () => {
    const programs = [
      { from: 'ExecStartPre', path: '/x', runs: false, ignoreErrors: true },
      { from: 'ExecStart', path: '/y', runs: false, ignoreErrors: false },
    ];
    const f = checkUnit(unitFact({ programs }), targets, env);
    expect(f.map((x) => [x.code, x.severity])).toEqual([['unit-program-missing', 'error']]);
    expect(f[0]?.message).toContain('/y');
  });
  it('a target that is not reached warns; one that does not exist is an error', () => {
    const t = { 'graphical-session.target': { loadState: 'loaded', activeState: 'inactive' } };
    const a = checkUnit(unitFact({ wantedBy: ['graphical-session.target'] }), t, env);
    expect(a.map((x) => x.code)).toEqual(['unit-target-not-reached']);
    const b = checkUnit(unitFact({ wantedBy: ['multi-user.target'] }), {}, env);
    expect(b.map((x) => [x.code, x.severity])).toEqual([['unit-target-missing', 'error']]);
    expect(b[0]?.message).toMatch(/default\.target/);
  });
  it('a GUI unit warns only while the manager lacks a display', () => {
    const gui = {
      program: '/usr/bin/app',
      gui: true,
      how: 'toolkit' as const,
      detail: 'libgtk-3.so.0',
    };
    const withDisplay = { ...env, systemdEnv: { WAYLAND_DISPLAY: 'wayland-0' } };
    const after = { Id: 'a.service', LoadState: 'loaded', After: 'graphical-session.target' };
    expect(checkUnit(unitFact({ gui, show: after }), targets, withDisplay)).toEqual([]);
    const codes = checkUnit(unitFact({ gui }), targets, env).map((x) => x.code);
    expect(codes).toEqual(['unit-gui-no-display', 'unit-gui-not-after-session']);
  });
  it('linger: a calendar timer warns, a service only notes', () => {
    const off = { ...env, lingering: false };
    expect(
      checkUnit(unitFact({ calendarTimer: true }), targets, off).map((x) => x.severity),
    ).toEqual(['warning']);
    expect(checkUnit(unitFact(), targets, off).map((x) => x.severity)).toEqual(['info']);
  });
  it('a hidden autostart entry says only that', () => {
    const f = checkAutostart(
      {
        id: 'autostart:a.desktop',
        file: 'a.desktop',
        name: 'A',
        path: '/x/a.desktop',
        origin: 'user',
        overrides: null,
        hidden: true,
        notThisDesktop: true,
        gnomeDisabled: true,
        argv: ['/bin/true'],
        exec: null,
        tryExec: null,
        invalid: [],
        gui: null,
      },
      env,
    );
    expect(f.map((x) => x.code)).toEqual(['autostart-hidden']);
  });
  it('the same command: twice at login, or at login and at boot', () => {
    const argv = ['/bin/app'];
    const twice = checkAcross({
      env,
      starters: [
        { id: 'autostart:a', mechanism: 'xdg-autostart', argv, words: 'the entry A' },
        { id: 'autostart:b', mechanism: 'xdg-autostart', argv, words: 'the entry B' },
        { id: 'autostart:c', mechanism: 'xdg-autostart', argv: ['/bin/other'], words: 'C' },
      ],
    });
    expect(twice.map((f) => [f.entry, f.code])).toEqual([
      ['autostart:a', 'started-twice'],
      ['autostart:b', 'started-twice'],
    ]);
    // The others are named in words, never by their ids.
    expect(twice[0]?.message).toContain('the entry B');
    expect(twice.map((f) => f.message + JSON.stringify(f.fix)).join(' ')).not.toMatch(
      /autostart:[ab]/,
    );
    const both = checkAcross({
      env,
      starters: [
        { id: 'cron:1', mechanism: 'cron', argv, words: 'the @reboot line' },
        { id: 'autostart:a', mechanism: 'xdg-autostart', argv, words: 'the entry A' },
      ],
    });
    expect(both.map((f) => f.code)).toEqual(['login-and-boot', 'login-and-boot']);
    // Many starters of one command: a few named, the rest counted; one entry's own findings only.
    const many = Array.from({ length: 8 }, (_, i) => ({
      id: `autostart:${i}`,
      mechanism: 'xdg-autostart' as const,
      argv,
      words: `entry ${i}`,
    }));
    const crowd = checkAcross({ env, starters: many });
    expect(crowd).toHaveLength(8);
    expect(crowd[0]?.message).toContain('entry 1, entry 2, entry 3 and 4 more');
    expect(crowd[0]?.message).not.toContain('entry 5');
    expect(checkAcross({ env, starters: many }, 'autostart:7').map((f) => f.entry)).toEqual([
      'autostart:7',
    ]);
  });
});

describe('rehearsal outcomes and timing', () => {
  it('maps what was seen to an outcome', () => {
    expect(unitOutcome({ ActiveState: 'activating' }, true).outcome).toBe('hung');
    expect(
      unitOutcome(
        { ActiveState: 'failed', Result: 'exit-code', ExecMainCode: '1', ExecMainStatus: '203' },
        true,
      ).outcome,
    ).toBe('not-started');
    expect(
      unitOutcome(
        { ActiveState: 'failed', Result: 'exit-code', ExecMainCode: '1', ExecMainStatus: '3' },
        true,
      ),
    ).toMatchObject({ outcome: 'failed', exitCode: 3 });
    expect(unitOutcome({ ActiveState: 'inactive', Result: 'success' }, false).outcome).toBe('done');
    expect(
      processOutcome({ exited: null, spawnError: null, blocked: true, output: '' }).outcome,
    ).toBe('hung');
    expect(
      processOutcome({
        exited: { code: 127, signal: null },
        spawnError: null,
        blocked: false,
        output: '',
      }).outcome,
    ).toBe('not-started');
  });
  it('blame: slowest first, and login to the last unit of the start-up', () => {
    const t = startupTiming(
      [
        {
          Id: 'a.service',
          InactiveExitTimestampMonotonic: '1000000',
          ActiveEnterTimestampMonotonic: '1100000',
        },
        {
          Id: 'b.service',
          InactiveExitTimestampMonotonic: '1000000',
          ActiveEnterTimestampMonotonic: '1500000',
        },
        {
          Id: 'never.service',
          InactiveExitTimestampMonotonic: '0',
          ActiveEnterTimestampMonotonic: '0',
        },
        {
          Id: 'late.service',
          InactiveExitTimestampMonotonic: '9000000',
          ActiveEnterTimestampMonotonic: '9900000',
        },
      ],
      { UserspaceTimestampMonotonic: '900000', FinishTimestampMonotonic: '1600000' },
    );
    expect(t.units.map((u) => [u.unit, u.ms])).toEqual([
      ['late.service', 900],
      ['b.service', 500],
      ['a.service', 100],
    ]);
    expect(t.loginToLastMs).toBe(600);
    expect(t.managerStartupMs).toBe(700);
  });
});
