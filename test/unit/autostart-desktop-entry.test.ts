import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DesktopEntry,
  effectiveState,
  escapeString,
  execLine,
  execWord,
  parseExec,
  unescapeString,
} from '../../main/core/autostart/desktop-entry.js';
import { fileNameFor, selfCommand } from '../../main/core/autostart/autostart-service.js';

const arg = fc.string({
  unit: fc.constantFrom('a', ' ', '"', "'", '\\', '$', '%', '`', '\t', 'é', '#', ';', '*'),
});
const argv = fc.tuple(
  fc.constantFrom('/usr/bin/x', '/opt/my app/run'),
  fc.array(arg, { maxLength: 6 }),
);

describe('Exec quoting per the Desktop Entry spec', () => {
  it('round-trips any argument list through the file', () => {
    fc.assert(
      fc.property(argv, ([prog, rest]) => {
        const list = [prog, ...rest];
        const text = DesktopEntry.create([
          ['Type', 'Application'],
          ['Exec', execLine(list)],
        ]).toString();
        expect(text).not.toMatch(/Exec=.*\n.+\n/);
        expect(parseExec(DesktopEntry.parse(text).get('Exec')!)).toEqual(list);
      }),
      { numRuns: 2000 },
    );
  });

  it('quotes what the spec reserves, and only that', () => {
    expect(execWord('/usr/bin/foo')).toBe('/usr/bin/foo');
    expect(execWord('a b')).toBe('"a b"');
    expect(execWord('50%')).toBe('50%%');
    expect(execWord('$HOME')).toBe('"\\$HOME"');
    expect(execWord('')).toBe('""');
    expect(escapeString(execWord('a\\b'))).toBe('"a\\\\\\\\b"');
    expect(unescapeString('\\sx\\ty\\\\')).toBe(' x\ty\\');
  });

  it('drops field codes and refuses malformed lines', () => {
    expect(parseExec('/usr/bin/app %U --x')).toEqual(['/usr/bin/app', '--x']);
    expect(parseExec('/usr/bin/app "unterminated')).toBeNull();
    expect(parseExec('/usr/bin/app %z')).toBeNull();
  });
});

describe('DesktopEntry edits', () => {
  const text = '# top\n[Desktop Entry]\nName=A\nExec=/bin/a\n\n[Desktop Action x]\nExec=/bin/x\n';

  it('keeps every byte it does not edit', () => {
    expect(DesktopEntry.parse(text).toString()).toBe(text);
    const hidden = DesktopEntry.parse(text).set('Hidden', 'true').toString();
    expect(hidden).toBe(text.replace('Exec=/bin/a\n', 'Exec=/bin/a\nHidden=true\n'));
    expect(DesktopEntry.parse(hidden).delete('Hidden').toString()).toBe(text);
    expect(DesktopEntry.parse(text).set('Name', 'B').toString()).toBe(
      text.replace('Name=A', 'Name=B'),
    );
  });

  it('reads keys of the main group only', () => {
    const d = DesktopEntry.parse(text);
    expect(d.get('Exec')).toBe('/bin/a');
    expect(d.get('Missing')).toBeNull();
  });
});

describe('effective state per the autostart spec', () => {
  const entry = (extra: string) =>
    DesktopEntry.parse(`[Desktop Entry]\nType=Application\nExec=/bin/a\n${extra}`);
  const yes = () => true;
  const no = () => false;
  it.each([
    ['', ['GNOME'], yes, true, []],
    ['Hidden=true\n', ['GNOME'], yes, false, ['hidden']],
    ['OnlyShowIn=KDE;\n', ['GNOME'], yes, false, ['not-in-this-desktop']],
    ['OnlyShowIn=KDE;GNOME;\n', ['ubuntu', 'GNOME'], yes, true, []],
    ['NotShowIn=GNOME;\n', ['GNOME'], yes, false, ['not-in-this-desktop']],
    ['NotShowIn=GNOME;\n', ['XFCE'], yes, true, []],
    ['TryExec=/opt/nothing\n', [], no, false, ['try-exec-missing']],
    ['TryExec=/bin/a\n', [], yes, true, []],
  ] as const)('%j on %j', (extra, desktops, exists, effective, reasons) => {
    const s = effectiveState(entry(extra), desktops, exists);
    expect(s.effective).toBe(effective);
    expect(s.reasons).toEqual(reasons);
  });
});

describe('names and the app entry', () => {
  it('makes file names from names', () => {
    expect(fileNameFor('My Sync Tool')).toBe('my-sync-tool.desktop');
    expect(fileNameFor('../../etc')).toBe('etc.desktop');
    expect(fileNameFor('***')).toBe('command.desktop');
  });
  it('uses $APPIMAGE when running from an AppImage', () => {
    expect(selfCommand({ APPIMAGE: '/home/u/DD.AppImage' }, '/tmp/.mount_x/dd')).toEqual([
      '/home/u/DD.AppImage',
    ]);
    expect(selfCommand({}, '/usr/lib/daemon-deck/daemon-deck')).toEqual([
      '/usr/lib/daemon-deck/daemon-deck',
    ]);
  });
});
