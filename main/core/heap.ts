// The V8 heap setting of a long-running core (the Electron main process). Plain Node: no electron.
//
// A tray app idles for days, and its resident memory is what users see of it. V8 grows the young
// generation (two semi-spaces) whenever objects survive a scavenge, up to 2 x 32 MB on 64-bit
// Node without pointer compression (Electron's main process is the same), and hardly gives it
// back: a first load of 1,000 units and 5,000 processes grew it to its maximum, and the core sat
// at ~165 MB resident for good, ~50 MB of it an empty nursery (npm run bench, scale bench).
// Keeping the semi-spaces at their initial size costs a few more scavenges on a first load and
// nothing while idle. `--semi-space-growth-factor` is read by V8 each time it would grow the young
// generation, so it works when set at run time (Node and Electron's main process do not freeze
// V8 flags after initialisation); flags that size the heap itself (--max-semi-space-size) do not.
import { setFlagsFromString } from 'node:v8';

/** Keep the young generation near its initial size for the rest of the process. Idempotent. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
