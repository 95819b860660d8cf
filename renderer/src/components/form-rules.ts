// The checks the forms share, in words from the catalogs: a required field, a name that is
// taken. Pure: no DOM, no API (form-checks.svelte.ts decides when they show).
import { t } from '../../../i18n/index.js';

/** "Enter …" for an empty required field; null when something is typed. */
export function required(value: string, what: 'name' | 'command' | 'pattern'): string | null {
  if (value.trim() !== '') return null;
  switch (what) {
    case 'name':
      return t('create:form.nameRequired');
    case 'command':
      return t('create:form.commandRequired');
    case 'pattern':
      return t('create:form.patternRequired');
  }
}

/**
 * The unit ids (`systemd:NAME.service`, `systemd:NAME.socket`) a snapshot has, to find a name
 * that is taken while it is typed.
 */
export function takenUnits(ids: readonly string[]): Set<string> {
  return new Set(ids.filter((id) => id.startsWith('systemd:')).map((id) => id.slice(8)));
}

/** "A service named web.service already exists" when one of `units` is among the taken ones. */
export function unitClash(units: readonly string[], taken: ReadonlySet<string>): string | null {
  const clash = units.find((u) => taken.has(u));
  return clash === undefined ? null : t('create:form.unitTaken', { unit: clash });
}

/** "Something is already watched as NAME". */
export function watchClash(name: string, rules: readonly string[]): string | null {
  const n = name.trim();
  return n !== '' && rules.includes(n) ? t('create:form.watchTaken', { name: n }) : null;
}
