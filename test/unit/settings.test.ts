import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createConfSettings,
  createMemoryBackend,
  createMemorySettings,
  createSettingsStore,
  DEFAULT_SETTINGS,
  openSettingsFile,
  SETTINGS_VERSION,
} from '../../main/core/settings/settings.js';
import { migrateSettings, normaliseSettings } from '../../main/core/settings/settings-schema.js';
import { pollIntervalSchema } from '../../contract/settings-schemas.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'dd-settings-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}-state`, { recursive: true, force: true });
  }
}

/** The environment that puts settings.json in `dir` (and the store's locks beside it). */
const envFor = (dir: string): NodeJS.ProcessEnv => ({
  HOME: dir,
  DAEMON_DECK_CONFIG_DIR: dir,
  XDG_STATE_HOME: `${dir}-state`,
});

/** settings.json exactly as the app wrote it before settings had a version (format 0). */
const FORMAT_0 = {
  pinned: ['systemd:syncthing.service', 'process:bot'],
  theme: 'dark',
  alerts: {
    paused: true,
    mutes: {
      'systemd:web.service': NOW + 30 * 60_000,
      'systemd:old.service': NOW - 60_000,
      'process:bot': null,
    },
  },
  watchRules: [{ name: 'bot', pattern: 'bot', full: false, exact: false }],
  crashHistory: {
    'systemd:web.service': [
      { at: '2026-02-01T00:00:00.000Z', reason: 'failed', exit: null, restarts: 0 },
    ],
  },
};

describe('settings migrations (pure)', () => {
  it('a new, empty file gets the defaults and the current version, and nothing to report', () => {
    const r = migrateSettings(undefined, NOW);
    expect(r.settings).toEqual(DEFAULT_SETTINGS);
    expect(r.report).toEqual({ from: 0, to: SETTINGS_VERSION, issues: [] });
    expect(r.values).toMatchObject({ settingsVersion: SETTINGS_VERSION, pollIntervalMs: 2000 });
    expect(r.changed).toBe(true);
  });

  it('format 0 as the app wrote it: mutes move to ISO times, ended ones go, the rest is kept', () => {
    const r = migrateSettings(structuredClone(FORMAT_0), NOW);
    expect(r.report).toEqual({ from: 0, to: 1, issues: [] });
    expect(r.settings).toEqual({
      pinned: ['systemd:syncthing.service', 'process:bot'],
      theme: 'dark',
      language: 'system',
      ignoredStrays: [],
      pollIntervalMs: 2000,
      alerts: {
        paused: true,
        mutes: { 'systemd:web.service': iso(NOW + 30 * 60_000), 'process:bot': null },
        notifyOnAutoRestart: true,
        logLines: 3,
      },
      logWarnBytes: 100 * 1024 * 1024,
    });
    // Keys owned elsewhere are untouched.
    expect(r.values.watchRules).toEqual(FORMAT_0.watchRules);
    expect(r.values.crashHistory).toEqual(FORMAT_0.crashHistory);
    expect(r.values.settingsVersion).toBe(1);
  });

  it('unknown keys are kept as they are', () => {
    const r = migrateSettings({ ...FORMAT_0, windowBounds: { x: 1 }, 'a.b': [1, 2] }, NOW);
    expect(r.values.windowBounds).toEqual({ x: 1 });
    expect(r.values['a.b']).toEqual([1, 2]);
  });

  it('garbage values are replaced with defaults, each reported in words, and nothing throws', () => {
    const r = migrateSettings(
      {
        settingsVersion: 1,
        pinned: ['systemd:a.service', 7, '', 'x\ny', 'systemd:a.service'],
        theme: 'neon',
        pollIntervalMs: -5,
        alerts: {
          paused: 'yes',
          mutes: { 'systemd:a.service': 'tomorrow', 'systemd:b.service': iso(NOW + 1000) },
          notifyOnAutoRestart: 1,
          logLines: 99,
        },
      },
      NOW,
    );
    expect(r.settings).toEqual({
      pinned: ['systemd:a.service'],
      theme: 'system',
      language: 'system',
      ignoredStrays: [],
      pollIntervalMs: 2000,
      alerts: {
        paused: false,
        mutes: { 'systemd:b.service': iso(NOW + 1000) },
        notifyOnAutoRestart: true,
        logLines: 3,
      },
      logWarnBytes: 100 * 1024 * 1024,
    });
    expect(r.report.issues).toEqual([
      'pinned: 3 values that are not entry ids were dropped.',
      'theme: "neon" could not be used (The theme is one of system, light or dark.); using "system".',
      'pollIntervalMs: -5 could not be used (The poll interval must be at least 1 second.); using 2000.',
      'alerts.paused: "yes" could not be used (This is true or false.); using false.',
      'alerts.mutes: 1 mute that could not be read was dropped.',
      'alerts.notifyOnAutoRestart: 1 could not be used (This is true or false.); using true.',
      'alerts.logLines: 99 could not be used (Show between 0 and 10 log lines.); using 3.',
    ]);
    expect(r.changed).toBe(true);
  });

  it('a whole file that is not an object reads as the defaults, reported', () => {
    for (const raw of [null, [1, 2], 'settings', 42]) {
      const r = migrateSettings(raw, NOW);
      expect(r.settings).toEqual(DEFAULT_SETTINGS);
      expect(r.report.issues[0]).toMatch(/not a set of values; using the defaults/);
    }
    const r = migrateSettings({ alerts: 'loud', pinned: 'all' }, NOW);
    expect(r.report.issues).toEqual([
      'pinned: "all" is not a list of entries; nothing is pinned.',
      'alerts: "loud" is not a set of alert options; using the defaults.',
    ]);
  });

  it('a version that is not a number is reported and the file read as format 0', () => {
    const r = migrateSettings({ ...FORMAT_0, settingsVersion: 'one' }, NOW);
    expect(r.report.from).toBe(0);
    expect(r.report.issues[0]).toMatch(/settingsVersion: "one" is not a version/);
    expect(r.settings.alerts.mutes['systemd:web.service']).toBe(iso(NOW + 30 * 60_000));
  });

  it('a file from a newer version is read for what this one knows and left as it is', () => {
    const raw = { settingsVersion: 9, theme: 'light', pollIntervalMs: 5000, futureKey: 1 };
    const r = migrateSettings(raw, NOW);
    expect(r.changed).toBe(false);
    expect(r.values).toBe(raw);
    expect(r.settings).toMatchObject({ theme: 'light', pollIntervalMs: 5000 });
    expect(r.report).toMatchObject({ from: 9, to: 9 });
    expect(r.report.issues[0]).toMatch(/newer Daemon Deck \(format 9\)/);
  });

  it('a current file with good values needs no write', () => {
    const once = migrateSettings(structuredClone(FORMAT_0), NOW);
    const twice = migrateSettings(structuredClone(once.values), NOW);
    expect(twice.changed).toBe(false);
    expect(twice.settings).toEqual(once.settings);
    expect(twice.report.issues).toEqual([]);
  });

  it('never throws, always gives valid settings, and migrating again changes nothing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              settingsVersion: fc.oneof(fc.constant(0), fc.constant(1), fc.jsonValue()),
              pinned: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
              theme: fc.oneof(fc.constantFrom('system', 'light', 'dark'), fc.jsonValue()),
              pollIntervalMs: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
              alerts: fc.oneof(
                fc.record(
                  {
                    paused: fc.jsonValue(),
                    mutes: fc.dictionary(
                      fc.string(),
                      fc.oneof(fc.integer(), fc.constant(null), fc.string(), fc.jsonValue()),
                    ),
                    logLines: fc.jsonValue(),
                  },
                  { requiredKeys: [] },
                ),
                fc.jsonValue(),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        (raw) => {
          const r = migrateSettings(raw, NOW);
          const check = normaliseSettings(r.settings, NOW);
          expect(check.issues).toEqual([]);
          expect(check.settings).toEqual(r.settings);
          expect(pollIntervalSchema.safeParse(r.settings.pollIntervalMs).success).toBe(true);
          if (r.report.to === SETTINGS_VERSION) {
            const again = migrateSettings(JSON.parse(JSON.stringify(r.values)), NOW);
            expect(again.changed).toBe(false);
            expect(again.settings).toEqual(r.settings);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('settings store', () => {
  it('opening migrates and writes the owned keys back in one write; other keys untouched', () => {
    const backend = createMemoryBackend(structuredClone(FORMAT_0));
    const writes: Array<Record<string, unknown>> = [];
    backend.setMany = (values) => {
      writes.push(values);
      for (const [k, v] of Object.entries(values)) backend.map.set(k, v);
    };
    const s = createSettingsStore(backend, { clock: () => NOW });
    expect(s.report).toEqual({ from: 0, to: 1, issues: [] });
    expect(writes).toHaveLength(1);
    expect(Object.keys(writes[0]!).sort()).toEqual(
      [
        'alerts',
        'ignoredStrays',
        'language',
        'logWarnBytes',
        'pinned',
        'pollIntervalMs',
        'settingsVersion',
        'theme',
      ].sort(),
    );
    expect(backend.map.get('watchRules')).toEqual(FORMAT_0.watchRules);
    expect(backend.map.get('settingsVersion')).toBe(1);
  });

  it('a full disk when opening or changing: the app runs on, says so, and changes nothing on disk', () => {
    const backend = createMemoryBackend(structuredClone(FORMAT_0));
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      syscall: 'write',
    });
    backend.setMany = () => {
      throw full;
    };
    const s = createSettingsStore(
      { ...backend, path: '/home/u/.config/daemon-deck/settings.json' },
      {
        clock: () => NOW,
      },
    );
    expect(s.get().theme).toBe(FORMAT_0.theme);
    expect(s.report.issues).toEqual([
      expect.stringMatching(/disk is full.*settings\.json.*in memory only/),
    ]);
    const before = s.get();
    expect(() => s.update({ theme: 'light' })).toThrow(/disk is full.*settings\.json/);
    expect(s.get()).toBe(before);
    expect(backend.map.get('settingsVersion')).toBeUndefined();
  });

  it('update merges alert options, normalises and tells listeners', () => {
    const s = createMemorySettings({ pinned: ['a', 'a', 3], theme: 'neon' });
    expect(s.get()).toMatchObject({ pinned: ['a'], theme: 'system' });
    const seen: string[] = [];
    s.onChange((next) => seen.push(next.theme));
    expect(s.update({ theme: 'dark', alerts: { logLines: 5 } })).toMatchObject({
      theme: 'dark',
      alerts: { logLines: 5, notifyOnAutoRestart: true, paused: false },
    });
    expect(seen).toEqual(['dark']);
  });

  it('persists through conf in plain Node, migrating a format-0 file on disk', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'settings.json');
      await writeFile(file, JSON.stringify({ ...FORMAT_0, extra: 'kept' }));
      const a = await createConfSettings(envFor(dir));
      expect(a.report.from).toBe(0);
      expect(a.get().theme).toBe('dark');
      a.update({ pollIntervalMs: 5000 });
      const b = await createConfSettings(envFor(dir));
      expect(b.report).toEqual({ from: 1, to: 1, issues: [] });
      expect(b.get().pollIntervalMs).toBe(5000);
      const onDisk = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      expect(onDisk).toMatchObject({
        settingsVersion: 1,
        pollIntervalMs: 5000,
        extra: 'kept',
        watchRules: FORMAT_0.watchRules,
      });
      // conf writes through a temp file and a rename: nothing else is left in the folder.
      expect(await readdir(dir)).toEqual(['settings.json']);
    });
  });

  it('reads settings.json once while it stays the same file; a change by another process is seen at once', async () => {
    await withDir(async (dir) => {
      const { default: Conf } = await import('conf');
      let reads = 0;
      // conf as the app and the CLI open it, counting the reads of the file (each get is one).
      const open = (cwd: string) => {
        const conf = new Conf<Record<string, unknown>>({
          projectName: 'daemon-deck',
          cwd,
          configName: 'settings',
        });
        return {
          get: (key: string) => (reads++, conf.get(key)),
          set: (values: Record<string, unknown>) => conf.set(values),
          path: conf.path,
        };
      };
      const app = await openSettingsFile(envFor(dir), open);
      const cli = await openSettingsFile(envFor(dir), open);
      app.set('watchRules', [{ name: 'a' }]);
      reads = 0;
      for (let i = 0; i < 5; i++) expect(app.get('watchRules')).toEqual([{ name: 'a' }]);
      expect(reads).toBe(1);
      // A copy each time: changing what a get returned changes nothing kept.
      (app.get('watchRules') as unknown[]).push('changed');
      expect(app.get('watchRules')).toEqual([{ name: 'a' }]);
      // Another process's write, seen by the next get (no event loop turn in between).
      cli.set('watchRules', [{ name: 'b' }]);
      expect(app.get('watchRules')).toEqual([{ name: 'b' }]);
      // A file renamed over it by anyone else, too.
      await writeFile(join(dir, 'next.json'), JSON.stringify({ watchRules: [{ name: 'c' }] }));
      await rename(join(dir, 'next.json'), join(dir, 'settings.json'));
      expect(app.get('watchRules')).toEqual([{ name: 'c' }]);
      // Inside a change, every read is of the file under its lock.
      reads = 0;
      app.transact?.(() => [app.get('watchRules'), app.get('watchRules')]);
      expect(reads).toBe(2);
    });
  });

  it('a settings.json that is not JSON is set aside (never deleted), reported, and the defaults used', async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, 'settings.json'), '{"theme": "dark",');
      const s = await createConfSettings(envFor(dir));
      expect(s.get()).toEqual(DEFAULT_SETTINGS);
      expect(s.report.issues[0]).toMatch(
        /could not be read as settings \(it is not valid JSON\); it was kept as .*unreadable-/,
      );
      const files = await readdir(dir);
      const aside = files.find((f) => f.startsWith('settings.json.unreadable-'));
      expect(aside).toBeDefined();
      expect(await readFile(join(dir, aside!), 'utf8')).toBe('{"theme": "dark",');
    });
  });
});
