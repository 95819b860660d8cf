// The authoring channels (issue 3) mapped onto the AuthoringService: units, logs, resources,
// timers.
import { authoringChannels } from '../../../contract/areas/authoring.js';
import type { OpsOf } from '../../../contract/channel.js';
import type { AuthoringService } from '../systemd/authoring-service.js';
import { createHandlers } from './handlers.js';

/** What the authoring channels use of the AuthoringService. */
export type AuthoringDeps = Pick<
  AuthoringService,
  | 'preview'
  | 'splitCommand'
  | 'create'
  | 'definition'
  | 'previewEdit'
  | 'updateForm'
  | 'editText'
  | 'revertToVendor'
  | 'remove'
  | 'undo'
  | 'logs'
  | 'resources'
  | 'timers'
  | 'calendarPreview'
  | 'createTimer'
>;

function authoringOps(s: AuthoringDeps): OpsOf<typeof authoringChannels> {
  return {
    previewUnit: ({ form }) => s.preview(form),
    splitCommand: ({ line }) => s.splitCommand(line),
    createUnit: ({ form, enable, start }) => s.create(form, { enable, start }),
    getDefinition: ({ id }) => s.definition(id),
    previewEdit: ({ id, text }) => s.previewEdit(id, text),
    updateUnitForm: ({ id, form }) => s.updateForm(id, form),
    editUnitText: ({ id, text }) => s.editText(id, text),
    revertToVendor: ({ id }) => s.revertToVendor(id),
    deleteUnit: ({ id }) => s.remove(id),
    undo: ({ token }) => s.undo(token),
    getLogs: ({ id, ...range }) => s.logs(id, range),
    getResources: ({ id }) => s.resources(id),
    listTimers: () => s.timers(),
    previewCalendar: ({ onCalendar, count }) => s.calendarPreview(onCalendar, count),
    createTimer: ({ form, enable }) => s.createTimer(form, { enable }),
  };
}

/** With `service` absent (a shell that has not wired it), every channel answers `unsupported`. */
export function createAuthoringHandlers(service: AuthoringDeps | undefined) {
  return createHandlers(
    authoringChannels,
    service && authoringOps(service),
    'Creating and inspecting units is not available in this build.',
  );
}
