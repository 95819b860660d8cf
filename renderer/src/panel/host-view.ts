// The words of a far host's group in the panel (issue 17): its state, why it is out of reach,
// when it is tried again, and what its rows say while their state is only the last one known.
import type { Entry } from '../../../contract/index.js';
import type { FarHostView } from './hosts-state.svelte.js';
import { formatRelative, formatTime } from '../../../i18n/format.js';
import { t } from '../../../i18n/index.js';
import { panelSections, type Filter } from './panel-view.js';

const STATE_WORDS: Record<FarHostView['state'], string> = {
  connected: 'panel:hosts.connected',
  connecting: 'panel:hosts.connecting',
  unreachable: 'panel:hosts.unreachable',
};

/** "Connected", "Connecting…", "Unreachable: REASON". */
export function hostStateWords(host: FarHostView): string {
  if (host.state === 'unreachable' && host.reason !== null)
    return t('panel:hosts.unreachableWhy', { reason: host.reason });
  return t(STATE_WORDS[host.state]);
}

/** "Trying again at 21:05 · last read 3 minutes ago", or null while connected. */
export function hostRetryWords(host: FarHostView, now: number): string | null {
  if (host.state === 'connected') return null;
  const parts: string[] = [];
  if (host.state === 'unreachable' && host.retryAt !== null)
    parts.push(t('panel:hosts.retryAt', { time: formatTime(host.retryAt, true) }));
  if (host.updatedAt !== null)
    parts.push(t('panel:hosts.lastRead', { when: formatRelative(host.updatedAt, now) }));
  return parts.length === 0 ? null : parts.join(' · ');
}

/** Why a far host's rows show only their last known state, or null while it is connected. */
export function hostStale(host: FarHostView): string | null {
  return host.state === 'connected' ? null : t('panel:hosts.stale', { name: host.name });
}

/**
 * A far host's entries as the panel lists them: the same search and filter, in one list, failed
 * first; its session's plumbing (the System group) only when a search or a filter looks for it.
 */
export function hostEntries(host: FarHostView, query: string, filter: Filter): Entry[] {
  const looking = query.trim() !== '' || filter !== 'all';
  return panelSections(host.entries, query, filter)
    .filter((s) => looking || s.key !== 'system')
    .flatMap((s) => s.entries);
}
