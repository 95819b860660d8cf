// The settings `list` and `sources` read (main/cli/settings-read.ts): the values conf would give,
// dotted keys included, from one read that writes nothing; a file conf's way must handle (not a
// JSON object) is left to it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSettingsOnce } from '../../main/cli/settings-read.js';
import { openConfBackend } from '../../main/core/settings/settings.js';

describe('settings read once', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dd-settings-read-'));
    env = { DAEMON_DECK_CONFIG_DIR: dir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives what conf gives, dotted keys too, and writes nothing', async () => {
    const values = {
      pollIntervalMs: 3000,
      watchRules: [{ name: 'web', pattern: 'node' }],
      doctor: { guiMarks: { a: 1 } },
    };
    const text = JSON.stringify(values, null, 2);
    writeFileSync(join(dir, 'settings.json'), text);
    const once = readSettingsOnce(env)!;
    const conf = await openConfBackend(env);
    for (const key of ['pollIntervalMs', 'watchRules', 'doctor.guiMarks', 'doctor.none', 'none'])
      expect([key, once.get(key)]).toEqual([key, conf.get(key)]);
    once.set('pollIntervalMs', 5000);
    once.setMany?.({ 'doctor.guiMarks': { b: 2 } });
    expect([once.get('pollIntervalMs'), once.get('doctor.guiMarks')]).toEqual([5000, { b: 2 }]);
    // What a caller gets is its own, as with conf.
    (once.get('watchRules') as Array<{ name: string }>)[0]!.name = 'changed';
    expect(once.get('watchRules')).toEqual(values.watchRules);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(text);
  });

  it('reads no file as no values, and makes neither the file nor its folder', () => {
    const missing = join(dir, 'not-yet');
    const once = readSettingsOnce({ DAEMON_DECK_CONFIG_DIR: missing })!;
    expect(once.get('pollIntervalMs')).toBeUndefined();
    once.set('pollIntervalMs', 5000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves a file that is no JSON object to the usual way', () => {
    for (const text of ['{ not json', '[1, 2]', '"text"', '\uFEFF{}']) {
      writeFileSync(join(dir, 'settings.json'), text);
      expect([text, readSettingsOnce(env)]).toEqual([text, null]);
    }
  });
});
