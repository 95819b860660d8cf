// Everything a renderer page or the preload needs in one import: the IPC contract and the core's
// domain types it carries. Types only from the modules that hold zod schemas, so importing this
// puts no schema in a renderer bundle; values only from those that hold none.
export type * from './ipc.js';
export type * from './channel.js';
export * from './pages.js';
export * from '../main/core/model/domain.js';
export * from '../main/core/model/alerts.js';
export * from '../main/core/model/authoring.js';
export * from '../main/core/model/processes.js';
export * from '../main/core/model/startup.js';
export * from '../main/core/model/doctor.js';
export * from '../main/core/model/timers.js';
export * from '../main/core/model/timer-schedule.js';
export * from '../main/core/model/setup.js';
export * from '../main/core/model/logs.js';
