// The setup channels (issue 17) mapped onto the SetupService: export, plan, import, undo.
import { setupChannels } from '../../../contract/areas/setup.js';
import type { OpsOf } from '../../../contract/channel.js';
import type { SetupService } from '../setup/setup-service.js';
import { createHandlers } from './handlers.js';

export type SetupDepsOfApi = Pick<SetupService, 'export' | 'plan' | 'import' | 'undo'>;

function setupOps(s: SetupDepsOfApi): OpsOf<typeof setupChannels> {
  return {
    exportSetup: ({ ids }) => s.export(ids),
    planSetup: ({ text }) => s.plan(text),
    importSetup: ({ text, replace }) => s.import(text, replace),
    undoSetup: ({ token }) => s.undo(token),
  };
}

export function createSetupHandlers(service: SetupDepsOfApi | undefined) {
  return createHandlers(
    setupChannels,
    service && setupOps(service),
    'Setup files are not available in this build.',
  );
}
