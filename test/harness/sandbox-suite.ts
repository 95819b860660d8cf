// A sandbox for the tests of one describe block, as e2eSuite() is for the e2e ones: started
// before them and stopped after them. Kept apart from sandbox.ts, which runs outside vitest too.
import { afterAll, beforeAll } from 'vitest';
import { startSandbox, type Sandbox } from './sandbox.js';

export function sandboxSuite(label: string): { readonly sb: Sandbox } {
  let sb: Sandbox | undefined;
  beforeAll(async () => {
    sb = await startSandbox({ label });
  });
  afterAll(async () => {
    await sb?.stop();
  });
  return {
    get sb(): Sandbox {
      if (sb === undefined) throw new Error(`the ${label} sandbox has not started`);
      return sb;
    },
  };
}
