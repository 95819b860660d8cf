import { describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import type { Entry, Settings, Snapshot, SourceStatus } from '../../main/core/model/domain.js';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings-schema.js';
import {
  buildTrayMenu,
  failedSummary,
  nameFromId,
  panelThemeFor,
  trayIconFile,
  type TrayMenuItem,
} from '../../main/core/tray/menu-model.js';
import { serviceEntry } from '../helpers/entries.js';

function entry(name: string, patch: Partial<Entry> = {}): Entry {
  const state = patch.state ?? 'running';
  const on = state === 'running' || state === 'starting';
  return serviceEntry(name, {
    description: `${name} description`,
    state,
    subState: state === 'running' ? 'running' : 'dead',
    autostart: { enabled: false, via: [], state: 'disabled' },
    actions: on ? ['stop', 'restart'] : ['start', 'restart', 'enable'],
    ...patch,
  });
}

function snapshot(entries: Entry[], systemd: SourceStatus = { status: 'ok' }): Snapshot {
  return { version: 1, generatedAt: '2025-01-01T00:00:00.000Z', entries, sources: { systemd } };
}

function settings(patch: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, ...patch };
}

const light = { systemDark: false };

/** The menu for `entries` with `pinned` (entry ids) pinned, in the light scheme. */
function menuFor(entries: Entry[], pinned: string[] = []) {
  return buildTrayMenu(snapshot(entries), settings({ pinned }), light);
}

/** The lines every menu ends with (alerts not paused). */
const FOOT = ['[ ] Pause alerts', 'Open Daemon Deck', 'Quit'];

/** The menu as lines of text, which is what a person reads. */
function render(items: TrayMenuItem[]): string[] {
  return items.map((item) => {
    switch (item.kind) {
      case 'separator':
        return '---';
      case 'note':
        return `(${item.label})`;
      case 'toggle':
        return `[${item.checked ? 'x' : ' '}] ${item.label}${item.enabled ? '' : ' (disabled)'}`;
      case 'action':
        return `${item.label}${item.enabled ? '' : ' (disabled)'}`;
    }
  });
}

function find(items: TrayMenuItem[], id: string): TrayMenuItem {
  const item = items.find((i) => i.id === id);
  if (item === undefined) throw new Error(`no item ${id} in ${render(items).join(' | ')}`);
  return item;
}

describe('buildTrayMenu', () => {
  it('all fine, nothing pinned: Pause alerts, Open and Quit, "All good", normal icon', () => {
    const model = buildTrayMenu(
      snapshot([entry('a.service'), entry('b.service')]),
      settings(),
      light,
    );
    expect(render(model.items)).toEqual(FOOT);
    expect(model.tooltip).toBe('Daemon Deck: All good');
    expect(model.icon).toEqual({ status: 'normal', theme: 'light' });
    expect(model.failedCount).toBe(0);
    expect(find(model.items, 'open')).toMatchObject({ command: { type: 'open-panel' } });
    expect(find(model.items, 'quit')).toMatchObject({ command: { type: 'quit' } });
  });

  it('an empty snapshot is all good too', () => {
    const model = menuFor([]);
    expect(render(model.items)).toEqual(FOOT);
    expect(model.tooltip).toBe('Daemon Deck: All good');
  });

  it('failed pinned entries come first with Restart, then the rest; warning icon and count', () => {
    const [sync, bot] = ['sync.service', 'bot.service'].map((n) => entry(n, { state: 'failed' }));
    const model = menuFor([entry('ok.service'), sync!, bot!], [sync!.id, bot!.id]);
    expect(render(model.items)).toEqual([
      'Restart sync.service',
      'Restart bot.service',
      '---',
      '[ ] sync.service — failed',
      '[ ] bot.service — failed',
      '---',
      ...FOOT,
    ]);
    expect(model.tooltip).toBe('Daemon Deck: 2 services failed');
    expect(model.icon).toEqual({ status: 'warning', theme: 'light' });
    expect(model.failedCount).toBe(2);
    expect(model.warningCount).toBe(2);
    expect(find(model.items, 'restart:systemd:sync.service')).toMatchObject({
      enabled: true,
      command: { type: 'act', entryId: 'systemd:sync.service', action: 'restart' },
    });
  });

  it('nothing pinned, a unit failed: listed with Restart and told in the tooltip, icon stays normal', () => {
    const model = menuFor([entry('ok.service'), entry('vendor.service', { state: 'failed' })]);
    expect(render(model.items)).toEqual(['Restart vendor.service', '---', ...FOOT]);
    expect(model.tooltip).toBe('Daemon Deck: 1 service failed (not pinned)');
    expect(model.icon.status).toBe('normal');
    expect(model.failedCount).toBe(1);
    expect(model.warningCount).toBe(0);
  });

  it('a failed watched process (watch rule) turns the icon without being pinned', () => {
    const bot = entry('bot', { id: 'process:bot', kind: 'process', state: 'failed' });
    const model = buildTrayMenu(snapshot([bot, entry('ok.service')]), settings(), light);
    expect(render(model.items)[0]).toBe('Restart bot');
    expect(model.tooltip).toBe('Daemon Deck: 1 process failed');
    expect(model.icon.status).toBe('warning');
  });

  it('pinned failures first, then unpinned, then muted; each group counted in the tooltip', () => {
    const snap = snapshot([
      entry('a.service', { state: 'failed' }),
      entry('b.service', { state: 'failed' }),
      entry('c.service', { state: 'failed' }),
      entry('d.service', { state: 'failed' }),
    ]);
    const s = settings({
      pinned: ['systemd:c.service', 'systemd:d.service'],
      alerts: {
        paused: false,
        mutes: { 'systemd:d.service': null, 'systemd:a.service': '2026-01-01T01:00:00.000Z' },
        notifyOnAutoRestart: true,
        logLines: 3,
      },
    });
    const model = buildTrayMenu(snap, s, { ...light, now: Date.parse('2026-01-01T00:00:00Z') });
    expect(render(model.items).slice(0, 4)).toEqual([
      'Restart c.service',
      'Restart b.service',
      'Restart a.service (muted)',
      'Restart d.service (muted)',
    ]);
    expect(model.tooltip).toBe('Daemon Deck: 1 service failed · 1 more not pinned · 2 more muted');
    expect(model.icon.status).toBe('warning');
  });

  it('a muted failed entry is listed as muted but does not turn the icon; its mute ends in time', () => {
    const snap = snapshot([entry('sync.service', { state: 'failed' })]);
    const s = settings({
      pinned: ['systemd:sync.service'],
      alerts: {
        paused: false,
        mutes: { 'systemd:sync.service': '2026-01-01T01:00:00.000Z' },
        notifyOnAutoRestart: true,
        logLines: 3,
      },
    });
    const during = buildTrayMenu(snap, s, { ...light, now: Date.parse('2026-01-01T00:30:00Z') });
    expect(render(during.items)[0]).toBe('Restart sync.service (muted)');
    expect(during.tooltip).toBe('Daemon Deck: 1 service failed (muted)');
    expect(during.icon.status).toBe('normal');
    const after = buildTrayMenu(snap, s, { ...light, now: Date.parse('2026-01-01T01:30:00Z') });
    expect(render(after.items)[0]).toBe('Restart sync.service');
    expect(after.icon.status).toBe('warning');
  });

  it('paused alerts: the Pause alerts item is checked and unpauses, the tooltip says so', () => {
    const paused = settings({
      alerts: { paused: true, mutes: {}, notifyOnAutoRestart: true, logLines: 3 },
    });
    const fine = buildTrayMenu(snapshot([entry('a.service')]), paused, light);
    expect(render(fine.items)).toEqual(['[x] Pause alerts', 'Open Daemon Deck', 'Quit']);
    expect(fine.tooltip).toBe('Daemon Deck: All good · alerts paused');
    expect(find(fine.items, 'pause-alerts')).toMatchObject({
      command: { type: 'pause-alerts', paused: false },
    });
    // Pausing silences notifications; it does not hide what is down.
    const down = buildTrayMenu(
      snapshot([entry('a.service', { state: 'failed' })]),
      { ...paused, pinned: ['systemd:a.service'] },
      light,
    );
    expect(down.tooltip).toBe('Daemon Deck: 1 service failed · alerts paused');
    expect(down.icon.status).toBe('warning');
    expect(
      find(buildTrayMenu(snapshot([]), settings(), light).items, 'pause-alerts'),
    ).toMatchObject({ checked: false, command: { type: 'pause-alerts', paused: true } });
  });

  it('a failed entry without restart falls back to start, and without either is disabled', () => {
    const model = menuFor([
      entry('a.service', { state: 'failed', actions: ['start'] }),
      entry('b.service', { state: 'failed', actions: [] }),
    ]);
    expect(find(model.items, 'restart:systemd:a.service')).toMatchObject({
      enabled: true,
      command: { type: 'act', entryId: 'systemd:a.service', action: 'start' },
    });
    expect(find(model.items, 'restart:systemd:b.service')).toMatchObject({
      enabled: false,
      command: null,
    });
  });

  it('more failed entries than fit are summarised with an item that opens the panel', () => {
    const entries = Array.from({ length: 14 }, (_, i) =>
      entry(`f${i}.service`, { state: 'failed' }),
    );
    const model = buildTrayMenu(snapshot(entries), settings(), { ...light, maxFailed: 10 });
    const restarts = model.items.filter((i) => i.id.startsWith('restart:'));
    expect(restarts).toHaveLength(10);
    expect(find(model.items, 'more-failed')).toMatchObject({
      label: '4 more failed…',
      command: { type: 'open-panel' },
    });
    expect(model.tooltip).toBe('Daemon Deck: 14 services failed (not pinned)');
  });

  it('pinned entries are checkbox toggles labelled with their state, in pinned order', () => {
    const model = menuFor(
      [
        entry('web.service'),
        entry('sync.service', { state: 'stopped' }),
        entry('boot.service', { state: 'starting' }),
        entry('tear.service', { state: 'stopping', actions: [] }),
        entry('not-pinned.service'),
      ],
      [
        'systemd:sync.service',
        'systemd:web.service',
        'systemd:boot.service',
        'systemd:tear.service',
      ],
    );
    expect(render(model.items)).toEqual([
      '[ ] sync.service — stopped',
      '[x] web.service — running',
      '[x] boot.service — starting…',
      '[ ] tear.service — stopping… (disabled)',
      '---',
      ...FOOT,
    ]);
    expect(find(model.items, 'toggle:systemd:sync.service')).toMatchObject({
      command: { type: 'act', entryId: 'systemd:sync.service', action: 'start' },
    });
    expect(find(model.items, 'toggle:systemd:web.service')).toMatchObject({
      command: { type: 'act', entryId: 'systemd:web.service', action: 'stop' },
    });
    expect(find(model.items, 'toggle:systemd:boot.service')).toMatchObject({
      command: { type: 'act', entryId: 'systemd:boot.service', action: 'stop' },
    });
  });

  it('a pinned failed entry shows both a Restart item and an unchecked toggle that starts it', () => {
    const model = menuFor([entry('sync.service', { state: 'failed' })], ['systemd:sync.service']);
    expect(render(model.items)).toEqual([
      'Restart sync.service',
      '---',
      '[ ] sync.service — failed',
      '---',
      ...FOOT,
    ]);
    expect(find(model.items, 'toggle:systemd:sync.service')).toMatchObject({
      command: { action: 'start' },
    });
  });

  it('a pinned id not in the snapshot is shown disabled as not found', () => {
    const model = buildTrayMenu(
      snapshot([entry('web.service')]),
      settings({ pinned: ['systemd:gone.service', 'systemd:web.service'] }),
      light,
    );
    expect(render(model.items)).toEqual([
      '[ ] gone.service — not found (disabled)',
      '[x] web.service — running',
      '---',
      ...FOOT,
    ]);
    expect(find(model.items, 'toggle:systemd:gone.service')).toMatchObject({ command: null });
  });

  it('50 pinned entries: the first 20 as toggles, then one item for the rest', () => {
    const entries = Array.from({ length: 50 }, (_, i) => entry(`s${i}.service`));
    const pinned = entries.map((e) => e.id);
    const model = buildTrayMenu(snapshot(entries), settings({ pinned }), light);
    const toggles = render(model.items.filter((i) => i.id.startsWith('toggle:')));
    expect(toggles).toHaveLength(20);
    expect(toggles[0]).toBe('[x] s0.service — running');
    expect(toggles[19]).toBe('[x] s19.service — running');
    expect(find(model.items, 'more-pinned')).toMatchObject({
      label: '30 more pinned…',
      command: { type: 'open-panel' },
    });
    expect(render(model.items).slice(-4)).toEqual(['---', ...FOOT]);
    const ids = model.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a larger maxPinned shows all 50', () => {
    const entries = Array.from({ length: 50 }, (_, i) => entry(`s${i}.service`));
    const model = buildTrayMenu(snapshot(entries), settings({ pinned: entries.map((e) => e.id) }), {
      ...light,
      maxPinned: 100,
    });
    expect(model.items.filter((i) => i.id.startsWith('toggle:'))).toHaveLength(50);
    expect(model.items.some((i) => i.id === 'more-pinned')).toBe(false);
  });

  it('duplicate pinned ids are shown once', () => {
    const model = buildTrayMenu(
      snapshot([entry('web.service')]),
      settings({ pinned: ['systemd:web.service', 'systemd:web.service'] }),
      light,
    );
    expect(model.items.filter((i) => i.id.startsWith('toggle:'))).toHaveLength(1);
  });

  it('bus unavailable: a note first, toggles disabled with unknown state, warning icon', () => {
    const snap = snapshot([], {
      status: 'unavailable',
      error: { code: 'bus-unavailable', message: 'The session bus is not reachable.' },
    });
    const model = buildTrayMenu(snap, settings({ pinned: ['systemd:web.service'] }), light);
    expect(render(model.items)).toEqual([
      '(systemd is not reachable)',
      '---',
      '[ ] web.service — unknown (disabled)',
      '---',
      ...FOOT,
    ]);
    expect(model.tooltip).toBe('Daemon Deck: systemd is not reachable');
    expect(model.icon.status).toBe('warning');
  });

  it('bus unavailable with stale entries: nothing can be clicked but Open and Quit', () => {
    const snap = snapshot([entry('web.service'), entry('bad.service', { state: 'failed' })], {
      status: 'unavailable',
      error: { code: 'bus-unavailable', message: 'gone' },
    });
    const model = buildTrayMenu(snap, settings({ pinned: ['systemd:web.service'] }), light);
    const clickable = model.items.filter(
      (i) => (i.kind === 'action' || i.kind === 'toggle') && i.enabled,
    );
    expect(clickable.map((i) => i.id)).toEqual(['pause-alerts', 'open', 'quit']);
    expect(find(model.items, 'restart:systemd:bad.service')).toMatchObject({ command: null });
  });

  it('bus unavailable: entries that need no bus (a watched process, an @reboot line) still act', () => {
    const proc = entry('web', {
      id: 'process:web',
      kind: 'process',
      state: 'failed',
      actions: ['start'],
    });
    const cron = entry('rsync', { id: 'cron:0badc0de', kind: 'cron', actions: ['stop'] });
    const snap: Snapshot = {
      ...snapshot([proc, cron, entry('bad.service', { state: 'failed' })], {
        status: 'unavailable',
        error: { code: 'bus-unavailable', message: 'gone' },
      }),
    };
    snap.sources.processes = { status: 'ok' };
    snap.sources.cron = { status: 'ok' };
    const model = buildTrayMenu(snap, settings({ pinned: ['cron:0badc0de'] }), light);
    expect(find(model.items, 'restart:process:web')).toMatchObject({
      enabled: true,
      command: { type: 'act', entryId: 'process:web', action: 'start' },
    });
    expect(find(model.items, 'toggle:cron:0badc0de')).toMatchObject({
      enabled: true,
      command: { type: 'act', entryId: 'cron:0badc0de', action: 'stop' },
    });
    expect(find(model.items, 'restart:systemd:bad.service')).toMatchObject({ command: null });
  });

  it('connecting: a note, a normal icon and a tooltip that says so', () => {
    const model = buildTrayMenu(snapshot([], { status: 'connecting' }), settings(), light);
    expect(render(model.items)).toEqual(['(Connecting to systemd…)', '---', ...FOOT]);
    expect(model.tooltip).toBe('Daemon Deck: Connecting…');
    expect(model.icon.status).toBe('normal');
  });

  it('icon theme follows the system unless the settings force one', () => {
    const snap = snapshot([]);
    expect(buildTrayMenu(snap, settings(), { systemDark: true }).icon.theme).toBe('dark');
    expect(buildTrayMenu(snap, settings(), { systemDark: false }).icon.theme).toBe('light');
    expect(buildTrayMenu(snap, settings({ theme: 'dark' }), { systemDark: false }).icon.theme).toBe(
      'dark',
    );
    expect(buildTrayMenu(snap, settings({ theme: 'light' }), { systemDark: true }).icon.theme).toBe(
      'light',
    );
  });

  it('a panel known to be dark wins over the system and the settings', () => {
    const snap = snapshot([]);
    const model = buildTrayMenu(snap, settings({ theme: 'light' }), {
      systemDark: false,
      panelTheme: 'dark',
    });
    expect(model.icon.theme).toBe('dark');
    expect(
      buildTrayMenu(snap, settings({ theme: 'dark' }), { systemDark: true, panelTheme: null }).icon
        .theme,
    ).toBe('dark');
  });

  it('crashes on far hosts (issue 17): an item per host that opens the panel, a warning, counted', () => {
    const model = buildTrayMenu(snapshot([entry('a.service')]), settings(), {
      ...light,
      farCrashes: [
        { host: 'nas', count: 2 },
        { host: 'vps', count: 0 },
      ],
    });
    expect(render(model.items)).toEqual(['nas: 2 new crashes', '---', ...FOOT]);
    expect(find(model.items, 'far:nas')).toMatchObject({ command: { type: 'open-panel' } });
    expect(model.icon.status).toBe('warning');
    expect(model.warningCount).toBe(2);
    expect(model.tooltip).toBe('Daemon Deck: 2 crashes on other computers');
    const none = buildTrayMenu(snapshot([]), settings(), { ...light, farCrashes: [] });
    expect(none.icon.status).toBe('normal');
  });

  it('never starts or ends with a separator, nor puts two together', () => {
    const cases: Snapshot[] = [
      snapshot([]),
      snapshot([entry('a.service', { state: 'failed' })]),
      snapshot([], { status: 'connecting' }),
    ];
    for (const snap of cases) {
      for (const pinned of [[], ['systemd:a.service']]) {
        const kinds = buildTrayMenu(snap, settings({ pinned }), light).items.map((i) => i.kind);
        expect(kinds[0]).not.toBe('separator');
        expect(kinds.at(-1)).not.toBe('separator');
        expect(kinds.join(',')).not.toContain('separator,separator');
      }
    }
  });
});

describe('helpers', () => {
  it('failedSummary picks a noun by kind, "items" for a mix', () => {
    expect(failedSummary([entry('a', { kind: 'socket' })])).toBe('1 socket failed');
    expect(failedSummary([entry('a', { kind: 'timer' }), entry('b', { kind: 'timer' })])).toBe(
      '2 timers failed',
    );
    expect(failedSummary([entry('a'), entry('b', { kind: 'process' })])).toBe('2 items failed');
    expect(failedSummary([entry('a', { kind: 'cron' })])).toBe('1 item failed');
  });

  it('nameFromId drops the source prefix only', () => {
    expect(nameFromId('systemd:foo.service')).toBe('foo.service');
    expect(nameFromId('session:tmux:work')).toBe('tmux:work');
    expect(nameFromId('plain')).toBe('plain');
    expect(nameFromId('systemd:')).toBe('systemd:');
  });

  it('panelThemeFor knows GNOME-family top bars are dark and leaves the rest to the system', () => {
    expect(panelThemeFor('GNOME')).toBe('dark');
    expect(panelThemeFor('ubuntu:GNOME')).toBe('dark');
    expect(panelThemeFor('pop:GNOME')).toBe('dark');
    expect(panelThemeFor('KDE')).toBeNull();
    expect(panelThemeFor('XFCE')).toBeNull();
    expect(panelThemeFor('X-Cinnamon')).toBeNull();
    expect(panelThemeFor('sway')).toBeNull();
    expect(panelThemeFor(undefined)).toBeNull();
    expect(panelThemeFor('')).toBeNull();
  });

  it('trayIconFile names match build/tray', () => {
    expect(trayIconFile({ status: 'normal', theme: 'light' })).toBe('tray-normal-light.png');
    expect(trayIconFile({ status: 'warning', theme: 'dark' }, 2)).toBe('tray-warning-dark@2x.png');
  });
});

describe('the tray menu in Korean (the core follows the language setting)', () => {
  it('says every item, state and count in Korean, and English again after', () => {
    const snap = snapshot([
      entry('a.service', { state: 'failed' }),
      entry('b.service', { state: 'failed' }),
      entry('web.service'),
    ]);
    const s = settings({
      pinned: ['systemd:a.service', 'systemd:web.service', 'systemd:gone.service'],
      alerts: { paused: true, mutes: {}, notifyOnAutoRestart: true, logLines: 3 },
    });
    setLanguage('ko');
    let model: ReturnType<typeof buildTrayMenu>;
    try {
      model = buildTrayMenu(snap, s, light);
    } finally {
      setLanguage('en');
    }
    expect(render(model.items)).toEqual([
      'a.service 다시 시작',
      'b.service 다시 시작',
      '---',
      '[ ] a.service — 실패',
      '[x] web.service — 실행 중',
      '[ ] gone.service — 찾을 수 없음 (disabled)',
      '---',
      '[x] 알림 일시 중지',
      'Daemon Deck 열기',
      '종료',
    ]);
    expect(model.tooltip).toBe(
      'Daemon Deck: 서비스 1개 실패 · 고정 안 된 항목 1개 더 · 알림 일시 중지됨',
    );
    expect(buildTrayMenu(snap, s, light).tooltip).toBe(
      'Daemon Deck: 1 service failed · 1 more not pinned · alerts paused',
    );
  });
});
