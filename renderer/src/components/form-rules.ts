// The checks the forms share, in words from the catalogs: a required field, a name that is
// taken. Pure: no DOM, no API (form-checks.svelte.ts decides when they show).
import { t } from '../../../i18n/index.js';

const REQUIRED = {
  name: 'create:form.nameRequired',
  command: 'create:form.commandRequired',
  pattern: 'create:form.patternRequired',
} as const;

/** "Enter …" for an empty required field; null when something is typed. */
export function required(value: string, what: 'name' | 'command' | 'pattern'): string | null {
  return value.trim() !== '' ? null : t(REQUIRED[what]);
}

/**
 * The unit ids (`systemd:NAME.service`, `systemd:NAME.socket`) a snapshot has, to find a name
 * that is taken while it is typed.
 */
export function takenUnits(ids: readonly string[]): string[] {
  return ids.filter((id) => id.startsWith('systemd:')).map((id) => id.slice(8));
}

/** "A service named web.service already exists" when one of `units` is among the taken ones. */
export function unitClash(units: readonly string[], taken: readonly string[]): string | null {
  const clash = units.find((u) => taken.includes(u));
  return clash === undefined ? null : t('create:form.unitTaken', { unit: clash });
}

/** "Something is already watched as NAME". */
export function watchClash(name: string, rules: readonly string[]): string | null {
  const n = name.trim();
  return n !== '' && rules.includes(n) ? t('create:form.watchTaken', { name: n }) : null;
}

/**
 * Text shown as it is in every language: a systemd directive, an example path or command. Written
 * through this so a page says on its face that the words are deliberate, not a missed translation.
 */
export function asIs(text: string): string {
  return text;
}
