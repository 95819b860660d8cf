// The tray panel page's entry: small on purpose. It asks for the first snapshot, what the language
// is chosen from and the likely language's catalogs at once, then loads the rest of the page
// (boot.ts), so the answers and the scripts travel together instead of one after the other
// (issue 16: the panel's first render).
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { EarlySnapshot, askLanguage } from '../lib/early-snapshot';
import { likelyLanguage, prefetchCatalogs } from '../../../i18n/locales/lazy';
import { PANEL_NAMESPACES } from './namespaces';

const api = daemonDeck();
const early = new EarlySnapshot(api);
const language = askLanguage(api);
prefetchCatalogs(likelyLanguage(navigator.language), PANEL_NAMESPACES);
void import('./boot').then(({ boot }) => boot(api, early, language));
