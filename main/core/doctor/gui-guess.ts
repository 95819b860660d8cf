// "Is this a GUI program?": the guess behind the checks for programs that need a display or the
// session bus. Three ways, and the finding says which one decided:
// - the user marked the program (a setting; always wins);
// - the program is an ELF binary whose DT_NEEDED entries name a GUI toolkit (GTK, Qt, X11, Wayland,
//   SDL...). Read from the file itself, never by running ldd (which may execute the program);
// - its name is on a known list (programs that are scripts or statically linked, or that talk to
//   the desktop without a toolkit: notify-send, xdg-open, gsettings...).
// Pure, but for `readElfNeeded`, which only parses bytes handed to it.
import { basename } from 'node:path';
import type { GuiGuess } from '../model/doctor.js';

/** Library name prefixes that mean "needs a display". */
const TOOLKITS = [
  'libgtk-',
  'libgtk4',
  'libgdk-',
  'libQt5Gui',
  'libQt5Widgets',
  'libQt6Gui',
  'libQt6Widgets',
  'libX11.',
  'libxcb.',
  'libwayland-client',
  'libSDL2',
  'libSDL-',
  'libglfw',
  'libfltk',
  'libwx_gtk',
  'libadwaita',
  'libnotify.',
];

/** Programs known to need a display or the session bus, that a toolkit check would miss. */
const KNOWN = new Set([
  'notify-send',
  'xdg-open',
  'zenity',
  'kdialog',
  'yad',
  'xterm',
  'xmessage',
  'xrandr',
  'xset',
  'xsetroot',
  'xdotool',
  'xmodmap',
  'setxkbmap',
  'feh',
  'nitrogen',
  'gsettings',
  'dconf',
  'dbus-send',
  'gdbus',
  'pactl',
  'paplay',
  'firefox',
  'chromium',
  'google-chrome',
  'code',
  'electron',
  'spotify',
  'slack',
  'discord',
  'telegram-desktop',
  'nextcloud',
  'dropbox',
  'syncthing-gtk',
  'keepassxc',
  'copyq',
  'flameshot',
  'redshift',
  'gammastep',
  'conky',
  'plank',
  'nm-applet',
  'blueman-applet',
  'udiskie',
  'maestral_qt',
  'yumex',
  'picom',
  'compton',
  'dunst',
  'polybar',
  'waybar',
  'swaybg',
  'swayidle',
  'xss-lock',
  'parcellite',
  'clipit',
  'volumeicon',
  'pasystray',
]);

/** A guess from the program's name and (when it is ELF) its needed libraries. */
export function guessGui(
  program: string,
  needed: readonly string[] | null,
  marks: ReadonlyMap<string, boolean>,
): GuiGuess | null {
  const mark = marks.get(program) ?? marks.get(basename(program));
  if (mark !== undefined) return { program, gui: mark, how: 'user', detail: program };
  const lib = needed?.find((n) => TOOLKITS.some((t) => n.startsWith(t)));
  if (lib !== undefined) return { program, gui: true, how: 'toolkit', detail: lib };
  const name = basename(program);
  if (KNOWN.has(name) || /^gnome-|^kde|^xfce4-|^lxqt-/.test(name))
    return { program, gui: true, how: 'known-list', detail: name };
  return null;
}

/**
 * The DT_NEEDED names of an ELF file (32 or 64 bit, either byte order), read from its dynamic
 * segment; null when the bytes are not a dynamically linked ELF file (a script, static).
 */
export function readElfNeeded(buf: Buffer): string[] | null {
  if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) return null;
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const addr = (o: number) =>
    is64 ? Number(le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o)) : u32(o);
  try {
    const phoff = addr(is64 ? 0x20 : 0x1c);
    const phentsize = u16(is64 ? 0x36 : 0x2a);
    const phnum = u16(is64 ? 0x38 : 0x2c);
    const loads: Array<{ vaddr: number; offset: number; size: number }> = [];
    let dyn: { offset: number; size: number } | null = null;
    for (let i = 0; i < phnum; i++) {
      const p = phoff + i * phentsize;
      const type = u32(p);
      const offset = addr(p + (is64 ? 0x08 : 0x04));
      const vaddr = addr(p + (is64 ? 0x10 : 0x08));
      const filesz = addr(p + (is64 ? 0x20 : 0x10));
      if (type === 1) loads.push({ vaddr, offset, size: filesz });
      if (type === 2) dyn = { offset, size: filesz };
    }
    if (dyn === null) return null;
    const entSize = is64 ? 16 : 8;
    const needed: number[] = [];
    let strtab = -1;
    for (let o = dyn.offset; o + entSize <= dyn.offset + dyn.size; o += entSize) {
      const tag = addr(o);
      const val = addr(o + entSize / 2);
      if (tag === 0) break;
      if (tag === 1) needed.push(val);
      if (tag === 5) strtab = val;
    }
    const seg = loads.find((l) => strtab >= l.vaddr && strtab < l.vaddr + l.size);
    if (seg === undefined) return null;
    const base = seg.offset + (strtab - seg.vaddr);
    return needed.map((n) => {
      const start = base + n;
      const end = buf.indexOf(0, start);
      return buf.toString('latin1', start, end === -1 ? buf.length : end);
    });
  } catch {
    // Truncated or corrupt headers (a RangeError from the reads): not an ELF file we can read.
    return null;
  }
}
