// Everything a renderer page or the preload needs in one import: the IPC contract and the core's
// domain types it carries (re-exported, types and their fixed word lists only).
export * from './ipc.js';
export * from './areas/alerts.js';
export * from './areas/authoring.js';
export * from './areas/processes.js';
export * from './areas/startup.js';
export * from '../main/core/model/domain.js';
export * from '../main/core/model/alerts.js';
export * from '../main/core/model/authoring.js';
export * from '../main/core/model/processes.js';
export * from '../main/core/model/startup.js';
