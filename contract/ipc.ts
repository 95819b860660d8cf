// The IPC contract between main, preload and renderer. Neutral ground: core, preload and renderer
// import it and none owns it. Domain types come from main/core/model (types only).
//
// Every channel is declared once (contract/channel.ts): the core channels below and each product
// area's in contract/areas/*.ts. The channel maps, the name lists and DaemonDeckApi are derived.
import { z } from 'zod';
import {
  ENTRY_ACTIONS,
  type ActionOutcome,
  type EntryAction,
  type Settings,
  type SettingsPatch,
  type Snapshot,
  type UnitDetail,
} from '../main/core/model/domain.js';
import {
  answers,
  asPayload,
  channelsOf,
  event,
  returns,
  type EventApiOf,
  type EventMapOf,
  type InvokeApiOf,
  type InvokeMapOf,
  field,
  nothing,
} from './channel.js';
import { APP_PAGES, DETAIL_TABS, type AppInfo, type AppPage, type DetailTab } from './pages.js';
import { entryId, payload } from './schemas.js';
import {
  ignoredStraysSchema,
  languageSchema,
  logLinesSchema,
  pollIntervalSchema,
  themeSchema,
  logWarnBytesSchema,
} from './settings-schemas.js';
import { alertsChannels } from './areas/alerts.js';
import { authoringChannels } from './areas/authoring.js';
import { doctorChannels } from './areas/doctor.js';
import { processesChannels, processesEvents } from './areas/processes.js';
import { startupChannels } from './areas/startup.js';
import { timersChannels } from './areas/timers.js';
import { setupChannels } from './areas/setup.js';
import { logsChannels } from './areas/logs.js';
import { hostsChannels, hostsEvents } from './areas/hosts.js';

const settingsPatch = payload({
  theme: themeSchema.optional(),
  language: languageSchema.optional(),
  ignoredStrays: ignoredStraysSchema.optional(),
  pollIntervalMs: pollIntervalSchema.optional(),
  logWarnBytes: logWarnBytesSchema.optional(),
  alerts: payload({
    notifyOnAutoRestart: z.boolean().optional(),
    logLines: logLinesSchema.optional(),
  }).optional(),
}) satisfies z.ZodType<SettingsPatch>;

/** The channels of the panel, the detail window and the app itself. */
export const coreChannels = {
  'snapshot:get': answers<Snapshot>()('getSnapshot', nothing),
  'units:detail': returns<UnitDetail>()('getUnitDetail', field('id', entryId)),
  'entries:act': returns<ActionOutcome>()('act', {
    payload: payload({ id: entryId, action: z.enum(ENTRY_ACTIONS) }),
    args: (id: string, action: EntryAction) => ({ id, action }),
  }),
  'settings:get': answers<Settings>()('getSettings', nothing),
  'settings:pin': returns<Settings>()('setPinned', {
    payload: payload({ id: entryId, pinned: z.boolean() }),
    args: (id: string, pinned: boolean) => ({ id, pinned }),
  }),
  'settings:update': returns<Settings>()('updateSettings', {
    payload: settingsPatch,
    args: (patch: SettingsPatch) => asPayload(patch),
  }),
  /** Opens the detail window of an entry, on `tab` when given. */
  'window:open-detail': returns<null>()('openDetail', {
    payload: payload({ id: entryId, tab: z.enum(DETAIL_TABS).optional() }),
    args: (id: string, tab?: DetailTab) => (tab === undefined ? { id } : { id, tab }),
  }),
  /** Opens another page of the app (New service, Start automatically, Settings...), for an entry if given. */
  'window:open-page': returns<null>()('openPage', {
    payload: payload({ page: z.enum(APP_PAGES), id: entryId.optional() }),
    args: (page: AppPage, id?: string) => (id === undefined ? { page } : { page, id }),
  }),
  'app:info': answers<AppInfo>()('getAppInfo', nothing),
};

export const coreEvents = {
  'snapshot:changed': event<Snapshot>()('onSnapshot'),
  'settings:changed': event<Settings>()('onSettings'),
};

/** Every invoke channel: `domain:verb` -> its declaration. */
export const invokeChannels = {
  ...coreChannels,
  ...authoringChannels,
  ...processesChannels,
  ...startupChannels,
  ...alertsChannels,
  ...doctorChannels,
  ...timersChannels,
  ...setupChannels,
  ...logsChannels,
  ...hostsChannels,
};
/** Every event channel, main -> renderer. */
export const eventChannels = { ...coreEvents, ...processesEvents, ...hostsEvents };

export type InvokeDeclarations = typeof invokeChannels;
export type InvokeMap = InvokeMapOf<InvokeDeclarations>;
export type InvokeChannel = keyof InvokeMap;
export type InvokePayload<C extends InvokeChannel> = InvokeMap[C][0];
export type InvokeResult<C extends InvokeChannel> = InvokeMap[C][1];
export const INVOKE_CHANNELS = channelsOf(invokeChannels);

export type EventMap = EventMapOf<typeof eventChannels>;
export type EventChannel = keyof EventMap;
export const EVENT_CHANNELS = channelsOf(eventChannels);

/** The API the preload exposes as `window.daemonDeck`: named methods, never ipcRenderer. */
export interface DaemonDeckApi
  extends InvokeApiOf<InvokeDeclarations>, EventApiOf<typeof eventChannels> {}

declare global {
  interface Window {
    daemonDeck: DaemonDeckApi;
  }
}
