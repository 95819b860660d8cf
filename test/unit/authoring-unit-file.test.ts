import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServiceForm } from '../../main/core/model/authoring.js';
import {
  APP_MARKER,
  argvIssues,
  decodeUnitText,
  parseExecStart,
  parseListen,
  parseServiceUnit,
  quoteExecArg,
  quoteExecStart,
  renderServiceUnit,
  renderTimerUnit,
  splitCommandLine,
  unifiedDiff,
  unitNameIssue,
  validateServiceForm,
} from '../../main/core/systemd/unit-file.js';
import { unitArg } from '../helpers/units.js';

const form = (over: Partial<ServiceForm> = {}): ServiceForm => ({
  name: 'web',
  description: 'A web server',
  argv: ['/usr/bin/python3', '-m', 'http.server', '8000'],
  workingDirectory: null,
  environment: [],
  restart: 'on-failure',
  restartSec: 5,
  startAtLogin: true,
  afterNetwork: false,
  socket: null,
  ...over,
});

const argvArb = fc
  .tuple(unitArg, fc.array(unitArg, { maxLength: 6 }))
  .map(([p, rest]) => [`/bin/${p.replace(/[/"'\\]/g, '_')}x`, ...rest]);

describe('ExecStart quoting', () => {
  it('quotes every argument and escapes %, $, " and \\', () => {
    expect(quoteExecArg('a b')).toBe('"a b"');
    expect(quoteExecArg('100%')).toBe('"100%%"');
    expect(quoteExecArg('$HOME')).toBe('"$$HOME"');
    expect(quoteExecArg('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteExecArg('C:\\dir')).toBe('"C:\\\\dir"');
    expect(quoteExecArg(';')).toBe('";"');
    expect(quoteExecArg('')).toBe('""');
    expect(quoteExecStart(['/bin/echo', '-n', '%h $$'])).toBe('"/bin/echo" "-n" "%%h $$$$"');
    expect(quoteExecStart(['/opt/100% $x/run'])).toBe('"/opt/100%% $x/run"');
  });

  it('round-trips through the ExecStart parser for arbitrary argument lists', () => {
    fc.assert(
      fc.property(argvArb, (argv) => {
        expect(parseExecStart(quoteExecStart(argv))).toEqual(argv);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses newlines, NULs and other control characters with a clear error', () => {
    expect(() => quoteExecStart(['/bin/echo', 'a\nb'])).toThrow(/line break/);
    expect(() => quoteExecStart(['/bin/echo', 'a\0b'])).toThrow(/NUL/);
    expect(argvIssues(['/bin/echo', 'a\tb'])).toEqual([
      { field: 'argv.1', message: expect.stringMatching(/control character/) as string },
    ]);
    expect(argvIssues(['/bin/echo', 'ok', '\ud800'])[0]?.field).toBe('argv.2');
    fc.assert(
      fc.property(argvArb, fc.nat(), fc.constantFrom('\n', '\0', '\r'), (argv, at, bad) => {
        const i = at % argv.length;
        const broken = argv.map((a, k) => (k === i ? a + bad : a));
        const issues = argvIssues(broken);
        expect(issues.map((x) => x.field)).toContain(`argv.${i}`);
        expect(() => quoteExecStart(broken)).toThrow();
      }),
    );
  });

  it('wants an absolute program and at least one word', () => {
    expect(argvIssues([])[0]?.message).toMatch(/command/);
    expect(argvIssues(['python3'])[0]?.message).toMatch(/absolute path.*\/usr\/bin\/python3/);
    expect(argvIssues(['/opt/a "b"/x'])[0]?.message).toMatch(/quotes or a backslash/);
    expect(argvIssues(['/opt/a\\b'])[0]?.message).toMatch(/quotes or a backslash/);
    expect(argvIssues(['/opt/../x'])[0]?.message).toMatch(/normalised/);
    expect(argvIssues(['/opt//x'])[0]?.message).toMatch(/normalised/);
    expect(argvIssues(['/opt/'])[0]?.message).toMatch(/directory/);
    expect(argvIssues(['/opt/$x %n/ok é'])).toEqual([]);
  });

  it('keeps a separate argv[0] with the "@" prefix (systemd.service(5)), as Adopt needs', () => {
    expect(quoteExecStart(['@/usr/bin/sleep', 'sleep', '1000'])).toBe(
      '"@/usr/bin/sleep" "sleep" "1000"',
    );
    expect(quoteExecStart(['@/opt/100%/x', '-x $y'])).toBe('"@/opt/100%%/x" "-x $$y"');
    expect(parseExecStart('"@/usr/bin/sleep" "sleep" "1000"')).toEqual([
      '@/usr/bin/sleep',
      'sleep',
      '1000',
    ]);
    expect(parseExecStart('@/usr/bin/sleep')).toBeNull();
    expect(parseExecStart('-/usr/bin/sleep 1')).toBeNull();
    expect(argvIssues(['@/usr/bin/sleep'])).toEqual([
      { field: 'argv.1', message: expect.stringMatching(/argv\[0\]/) as string },
    ]);
    expect(argvIssues(['@/usr/bin/sleep', ''])[0]?.field).toBe('argv.1');
    expect(argvIssues(['@sleep', 'sleep'])[0]?.message).toMatch(/absolute path/);
    fc.assert(
      fc.property(argvArb, unitArg, (argv, argv0) => {
        const separate = [`@${argv[0]!}`, argv0 === '' ? 'x' : argv0, ...argv.slice(1)];
        expect(parseExecStart(quoteExecStart(separate))).toEqual(separate);
      }),
      { numRuns: 300 },
    );
  });
});

describe('splitting a typed command line', () => {
  const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  it('follows shell rules for quotes and backslashes', () => {
    expect(splitCommandLine(`python3 -m http.server  8000`)).toEqual({
      ok: true,
      argv: ['python3', '-m', 'http.server', '8000'],
    });
    expect(splitCommandLine(`echo 'a b' "c \\"d\\" \\$e \\x" f\\ g ''`)).toEqual({
      ok: true,
      argv: ['echo', 'a b', 'c "d" $e \\x', 'f g', ''],
    });
    expect(splitCommandLine(`a"b"'c'd`)).toEqual({ ok: true, argv: ['abcd'] });
    expect(splitCommandLine(`echo $HOME %h`)).toEqual({ ok: true, argv: ['echo', '$HOME', '%h'] });
  });
  it('refuses unclosed quotes and unquoted shell operators', () => {
    expect(splitCommandLine(`echo 'a`)).toEqual({
      ok: false,
      message: expect.stringMatching(/single quote/) as string,
    });
    expect(splitCommandLine(`echo "a`)).toEqual({
      ok: false,
      message: expect.stringMatching(/double quote/) as string,
    });
    expect(splitCommandLine(`echo a\\`).ok).toBe(false);
    for (const op of ['|', '>', '<', '&', ';', '`'])
      expect(splitCommandLine(`echo a ${op} b`)).toMatchObject({
        ok: false,
        message: expect.stringContaining('shell') as string,
      });
    expect(splitCommandLine(`echo 'a | b'`)).toEqual({ ok: true, argv: ['echo', 'a | b'] });
  });
  it('splits back what a shell quoter joined, for arbitrary words', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 8 }),
        (words) => {
          expect(splitCommandLine(words.map(shellQuote).join(' '))).toEqual({
            ok: true,
            argv: words,
          });
        },
      ),
    );
  });
});

describe('validation', () => {
  it('checks unit names', () => {
    expect(unitNameIssue('web', 'service')).toBeNull();
    expect(unitNameIssue('web.service', 'service')).toBeNull();
    expect(unitNameIssue('', 'service')).toMatch(/Enter a name/);
    expect(unitNameIssue('my web', 'service')).toMatch(/not " "/);
    expect(unitNameIssue('a/b', 'service')).toMatch(/not "\/"/);
    expect(unitNameIssue('x@y', 'service')).toMatch(/template/);
    expect(unitNameIssue('.hidden', 'service')).toMatch(/dot/);
    expect(unitNameIssue('a\nb', 'service')).toMatch(/line break/);
    expect(unitNameIssue('x'.repeat(250), 'service')).toMatch(/255 bytes/);
    // The atomic write's temp file (".NAME.dd-XXXXXXXXXXXX") must fit in a file name too: a name
    // that fits 255 bytes but not its temp file passed the check and failed at the write.
    expect(unitNameIssue('x'.repeat(230), 'service')).toBeNull();
    expect(unitNameIssue('x'.repeat(231), 'service')).toMatch(/at most 230 bytes/);
    expect(Buffer.byteLength(`.${'x'.repeat(230)}.service.dd-${'0'.repeat(12)}`)).toBe(255);
    expect(unitNameIssue('web.socket', 'service')).toMatch(/suffix/);
  });
  it('reports each bad field', () => {
    const issues = validateServiceForm(
      form({
        name: 'bad name',
        description: 'ends in \\',
        argv: ['rel/path'],
        workingDirectory: 'relative',
        environment: [
          { name: '1X', value: 'v' },
          { name: 'OK', value: 'a\nb' },
          { name: 'OK', value: 'x' },
        ],
        restartSec: -1,
        socket: { listen: '10.0.0.1:80', accept: false },
      }),
    );
    expect(issues.map((i) => i.field).sort()).toEqual(
      [
        'name',
        'description',
        'argv.0',
        'workingDirectory',
        'environment.0.name',
        'environment.1.value',
        'environment.2.name',
        'restartSec',
        'socket.listen',
      ].sort(),
    );
    expect(validateServiceForm(form())).toEqual([]);
  });
  it('accepts loopback ports and socket paths only', () => {
    expect(parseListen('8080')).toEqual({ ok: true, value: '127.0.0.1:8080', kind: 'tcp' });
    expect(parseListen('localhost:81')).toEqual({ ok: true, value: '127.0.0.1:81', kind: 'tcp' });
    expect(parseListen('[::1]:81')).toEqual({ ok: true, value: '[::1]:81', kind: 'tcp' });
    expect(parseListen('/run/user/1/x.sock')).toEqual({
      ok: true,
      value: '/run/user/1/x.sock',
      kind: 'unix',
    });
    expect(parseListen('0.0.0.0:80').ok).toBe(false);
    expect(parseListen('70000').ok).toBe(false);
    expect(parseListen('rel.sock').ok).toBe(false);
  });
});

describe('rendering', () => {
  it('writes a service with the exact ExecStart it shows', () => {
    const p = renderServiceUnit(
      form({
        argv: ['/usr/bin/env', 'A=%h', '$PATH'],
        workingDirectory: '/srv/my app',
        environment: [{ name: 'GREETING', value: 'hello "world" 100%' }],
        afterNetwork: true,
      }),
    );
    expect(p.issues).toEqual([]);
    expect(p.execStart).toBe('ExecStart="/usr/bin/env" "A=%%h" "$$PATH"');
    expect(p.files).toEqual([
      {
        name: 'web.service',
        text: [
          APP_MARKER,
          '[Unit]',
          'Description=A web server',
          'Wants=network-online.target',
          'After=network-online.target',
          '',
          '[Service]',
          'ExecStart="/usr/bin/env" "A=%%h" "$$PATH"',
          'WorkingDirectory=/srv/my app',
          'Environment="GREETING=hello \\"world\\" 100%%"',
          'Restart=on-failure',
          'RestartSec=5s',
          '',
          '[Install]',
          'WantedBy=default.target',
          '',
        ].join('\n'),
      },
    ]);
  });
  it('renders nothing for an invalid form but still shows the ExecStart when argv is fine', () => {
    const p = renderServiceUnit(form({ name: '' }));
    expect(p.files).toEqual([]);
    expect(p.execStart).toMatch(/^ExecStart=/);
    expect(renderServiceUnit(form({ argv: ['/bin/x', 'a\nb'] })).execStart).toBeNull();
  });
  it('always writes an [Install] section, so a unit created without --enable can be enabled later', () => {
    for (const startAtLogin of [false, true]) {
      const text = renderServiceUnit(form({ startAtLogin })).files[0]!.text;
      expect(text).toContain('[Install]\nWantedBy=default.target\n');
      const socket = renderServiceUnit(
        form({
          startAtLogin,
          restart: 'no',
          restartSec: null,
          socket: { listen: '80', accept: false },
        }),
      ).files[1]!.text;
      expect(socket).toContain('[Install]\nWantedBy=sockets.target\n');
    }
  });
  it('refuses bytes that are not UTF-8 instead of turning them into U+FFFD', () => {
    expect(decodeUnitText(Buffer.from('[Unit]\nDescription=é\n'), 'f')).toEqual({
      ok: true,
      value: '[Unit]\nDescription=é\n',
    });
    const bad = decodeUnitText(
      Buffer.concat([Buffer.from('[Unit]\n'), Buffer.of(0xff)]),
      'edit.txt',
    );
    expect(bad.ok ? null : bad.error.message).toMatch(
      /^edit\.txt is not valid UTF-8 text \(a bad byte near offset 7\)/,
    );
  });
  it('renders a socket-activated service, per connection as a template', () => {
    const p = renderServiceUnit(
      form({ restart: 'no', restartSec: null, socket: { listen: '8081', accept: true } }),
    );
    expect(p.files.map((f) => f.name)).toEqual(['web@.service', 'web.socket']);
    expect(p.files[0]!.text).toContain('StandardInput=socket');
    expect(p.files[0]!.text).not.toContain('[Install]');
    expect(p.files[1]!.text).toContain('ListenStream=127.0.0.1:8081\nAccept=yes');
    expect(p.files[1]!.text).toContain('WantedBy=sockets.target');
    expect(
      renderServiceUnit(form({ socket: { listen: '8081', accept: true } })).issues[0]?.field,
    ).toBe('restart');
  });
  it('reads back the form it wrote', () => {
    fc.assert(
      fc.property(
        argvArb,
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('no', 'on-failure', 'always'),
        (argv, login, net, restart) => {
          const f = form({
            argv,
            startAtLogin: login,
            afterNetwork: net,
            restart: restart,
            description: 'd %i "q"',
            workingDirectory: '/tmp/a b',
            environment: [{ name: 'K', value: 'v "$x" \\ %' }],
            restartSec: 1.5,
          });
          const p = renderServiceUnit(f);
          // Whether it starts at login is its enablement, not its text: read back as false.
          expect(parseServiceUnit('web.service', p.files[0]!.text)).toEqual({
            ...f,
            startAtLogin: false,
          });
        },
      ),
      { numRuns: 200 },
    );
    const s = form({
      restart: 'no',
      restartSec: null,
      socket: { listen: '127.0.0.1:9000', accept: false },
    });
    const files = renderServiceUnit(s).files;
    expect(parseServiceUnit('web.service', files[0]!.text, files[1]!.text)).toEqual({
      ...s,
      startAtLogin: false,
    });
    expect(parseServiceUnit('web.service', files[0]!.text + 'Nice=5\n')).toBeNull();
    expect(parseServiceUnit('web.service', '[Service]\nExecStart=/bin/true\n')).toBeNull();
  });
  it('renders timers and checks their times', () => {
    const t = renderTimerUnit({
      unit: 'backup',
      description: '',
      onCalendar: 'daily',
      onBootSec: null,
      onActiveSec: null,
      persistent: true,
    });
    expect(t.ok && t.file.name).toBe('backup.timer');
    expect(t.ok && t.file.text).toContain(
      'OnCalendar=daily\nPersistent=true\nAccuracySec=1s\nUnit=backup.service',
    );
    const bad = renderTimerUnit({
      unit: 'backup',
      description: '',
      onCalendar: null,
      onBootSec: 'soon',
      onActiveSec: null,
      persistent: false,
    });
    expect(bad.ok ? [] : bad.issues.map((i) => i.field)).toEqual(['onBootSec']);
    const none = renderTimerUnit({
      unit: 'b',
      description: '',
      onCalendar: '',
      onBootSec: null,
      onActiveSec: null,
      persistent: false,
    });
    expect(none.ok).toBe(false);
    const ok = renderTimerUnit({
      unit: 'b',
      description: '',
      onCalendar: null,
      onBootSec: '1h 30min',
      onActiveSec: '2s',
      persistent: false,
    });
    expect(ok.ok).toBe(true);
  });
});

describe('unified diff', () => {
  it('shows changed lines with context', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
    expect(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', 'x', 'y')).toBe(
      '--- x\n+++ y\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n \n',
    );
    const d = unifiedDiff('', '[Service]\nNice=5\n');
    expect(d).toContain('+[Service]\n+Nice=5');
  });
});
