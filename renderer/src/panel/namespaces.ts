// The catalogs the panel's first paint needs, loaded before it mounts (lib/language.ts); the
// other namespaces of its language follow once it is idle. test/unit/panel-namespaces.test.ts
// checks that every key the code of the panel names is in one of these.
import type { Namespace } from '../../../i18n/index.js';

export const PANEL_NAMESPACES: readonly Namespace[] = [
  'panel',
  'common',
  'errors',
  'doctor',
  'cron',
  'setup',
  'hosts',
];
