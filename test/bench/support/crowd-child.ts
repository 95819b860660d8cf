// A benchmark's crowd starter on its own (startCrowd in bench-kit.ts), for the test that kills
// the starter midway and counts what is left (test/integration/bench-crowd-cleanup.test.ts).
// DD_CROWD: {"count": N, "seconds": S}; prints `started` once the crowd is up, then waits.
import { startCrowd } from './bench-kit.js';

const cfg = JSON.parse(process.env.DD_CROWD ?? '{}') as { count: number; seconds: number };
await startCrowd(cfg.count, cfg.seconds);
process.stdout.write('started\n');
setInterval(() => undefined, 60_000);
