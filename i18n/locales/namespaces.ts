// The catalogs' namespaces: one JSON file per namespace and language (LANG/NS.json).
export const NAMESPACES = [
  'common',
  'errors',
  'panel',
  'detail',
  'create',
  'startup',
  'strays',
  'settings',
  'watch',
  'run',
  'adopt',
  'cli',
  'tray',
  'notify',
  'doctor',
  'timers',
  'cron',
  'logs',
  'setup',
  'hosts',
] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** A catalog: nested objects whose leaves are messages. */
export interface Catalog {
  [key: string]: string | Catalog;
}
