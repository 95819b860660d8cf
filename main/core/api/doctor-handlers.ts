// The "Will it start?" channels (issue 15) mapped onto the DoctorService.
import { doctorChannels } from '../../../contract/areas/doctor.js';
import type { OpsOf } from '../../../contract/channel.js';
import type { DoctorService } from '../doctor/doctor-service.js';
import { createHandlers } from './handlers.js';

/** What the doctor channels use of the DoctorService. */
export type DoctorDeps = Pick<
  DoctorService,
  'check' | 'fix' | 'rehearse' | 'timing' | 'marks' | 'mark'
>;

function doctorOps(d: DoctorDeps): OpsOf<typeof doctorChannels> {
  return {
    checkStartup: ({ id }) => d.check(id),
    fixStartup: ({ action }) => d.fix(action),
    rehearseStartup: ({ id, watchMs }) => d.rehearse(id, watchMs),
    startupTiming: () => d.timing(),
    guiMarks: () => d.marks(),
    markGui: ({ program, gui }) => d.mark(program, gui),
  };
}

export function createDoctorHandlers(deps: DoctorDeps | undefined) {
  return createHandlers(
    doctorChannels,
    deps && doctorOps(deps),
    '"Will it start?" is not available in this window.',
  );
}
