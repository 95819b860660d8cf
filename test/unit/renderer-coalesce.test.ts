import { describe, expect, it } from 'vitest';
import { coalesce } from '../../renderer/src/lib/coalesce.js';

describe('coalesce', () => {
  it('runs once more after a run in flight, however many asks came during it', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const load = coalesce(async () => {
      runs += 1;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = load();
    const asks = [load(), load(), load()];
    expect(await Promise.all(asks)).toEqual([false, false, false]);
    expect(runs).toBe(1);
    release();
    expect(await first).toBe(true);
    expect(runs).toBe(2);
  });

  it('runs again on the next ask once idle, and after a run that threw', async () => {
    let runs = 0;
    const load = coalesce(() => {
      runs += 1;
      return runs === 1 ? Promise.reject(new Error('the core is gone')) : Promise.resolve();
    });
    await expect(load()).rejects.toThrow('the core is gone');
    expect(await load()).toBe(true);
    expect(runs).toBe(2);
  });
});
