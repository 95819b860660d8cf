// The tray panel page's entry: small on purpose. It asks for the first snapshot at once, then
// loads the rest of the page (boot.ts), so the answer and the scripts travel together instead of
// one after the other (issue 16: the panel's first render).
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { EarlySnapshot } from '../lib/early-snapshot';

const api = daemonDeck();
const early = new EarlySnapshot(api);
void import('./boot').then(({ boot }) => boot(api, early));
