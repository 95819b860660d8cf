import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createConfSettings,
  createMemorySettings,
  DEFAULT_SETTINGS,
} from '../../main/core/settings/settings.js';

describe('settings', () => {
  it('defaults, normalises and de-duplicates', () => {
    const s = createMemorySettings({
      pinned: ['a', 'a', 3] as unknown as string[],
      theme: 'neon' as 'dark',
    });
    expect(s.get()).toEqual({ pinned: ['a'], theme: 'system' });
    expect(s.update({ theme: 'dark' })).toEqual({ pinned: ['a'], theme: 'dark' });
  });

  it('persists through conf in plain Node', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dd-settings-'));
    try {
      const a = await createConfSettings(dir);
      expect(a.get()).toEqual(DEFAULT_SETTINGS);
      a.update({ pinned: ['systemd:x.service'] });
      const b = await createConfSettings(dir);
      expect(b.get().pinned).toEqual(['systemd:x.service']);
      expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toMatchObject({
        pinned: ['systemd:x.service'],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
