// The named API methods of the authoring area over a transport.
import type { Transport } from '../api.js';
import type { AuthoringApi } from '../../contract/areas/authoring.js';

export function createAuthoringApi(transport: Transport): AuthoringApi {
  return {
    previewUnit: (form) => transport.invoke('authoring:preview', { form }),
    splitCommand: (line) => transport.invoke('authoring:split-command', { line }),
    createUnit: (form, opts) => transport.invoke('authoring:create', { form, ...opts }),
    getDefinition: (id) => transport.invoke('authoring:definition', { id }),
    previewEdit: (id, text) => transport.invoke('authoring:preview-edit', { id, text }),
    updateUnitForm: (id, form) => transport.invoke('authoring:update-form', { id, form }),
    editUnitText: (id, text) => transport.invoke('authoring:edit-text', { id, text }),
    revertToVendor: (id) => transport.invoke('authoring:revert-vendor', { id }),
    deleteUnit: (id) => transport.invoke('authoring:delete', { id }),
    undo: (token) => transport.invoke('authoring:undo', { token }),
    getLogs: (id, opts = {}) => transport.invoke('authoring:logs', { id, ...opts }),
    getResources: (id) => transport.invoke('authoring:resources', { id }),
    listTimers: () => transport.invoke('authoring:timers', null),
    previewCalendar: (onCalendar, count) =>
      transport.invoke('authoring:timer-preview', {
        onCalendar,
        ...(count !== undefined ? { count } : {}),
      }),
    createTimer: (form, opts) => transport.invoke('authoring:create-timer', { form, ...opts }),
  };
}
