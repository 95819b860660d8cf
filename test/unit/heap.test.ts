// keepYoungGenerationSmall() (main/core/heap.ts) in a Node process of its own: after it, a burst
// of allocations with many survivors leaves the young generation near its initial size, where V8's
// default grows it many times over (what kept the idle core at ~165 MB resident).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HEAP_TS = fileURLToPath(new URL('../../main/core/heap.ts', import.meta.url));

/** The largest new_space size in MB during a survivor-heavy burst, with or without the app's setting. */
function youngGenerationMb(apply: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { keepYoungGenerationSmall } from ${JSON.stringify(HEAP_TS)};
    if (${apply}) keepYoungGenerationSmall();
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    const keep = [];
    let most = 0;
    for (let round = 0; round < 200; round++) {
      const batch = [];
      for (let i = 0; i < 20000; i++) batch.push({ i, s: 'x' + i, a: [i] });
      keep.push(batch);
      if (keep.length > 5) keep.shift();
      most = Math.max(most, young().space_size);
    }
    process.stdout.write(String(most / 1048576));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return Number(out);
}

describe('the core heap setting', () => {
  it('keeps the young generation small where V8 would grow it', () => {
    const small = youngGenerationMb(true);
    const grown = youngGenerationMb(false);
    // Measured here: at most ~12 MB with the setting (V8 still lends the nursery a few pages while
    // it promotes), 128 MB without.
    expect(small).toBeLessThan(32);
    expect(grown).toBeGreaterThanOrEqual(small * 4);
  }, 60_000);
});
