// The CLI's table of commands (main/cli.ts GROUPS) against what each group defines and what the
// `cli` catalogs say about it: every listed name is a command of its group and back, and every
// command --help lists has its usage and summary in English and in Korean, so --help can print
// them without loading any group.
import { describe, expect, it } from 'vitest';
import { GROUPS, commandNames } from '../../main/cli.js';
import { resources } from '../../i18n/locales/index.js';

type Entry = { usage?: string; summary?: string };
const catalog = (lang: 'en' | 'ko') =>
  (resources[lang].cli as { commands: Record<string, Entry> }).commands;

describe('CLI commands', () => {
  it('each group loads exactly the commands it lists', async () => {
    for (const group of GROUPS) {
      const loaded = (await group.load()).map((c) => c.name);
      expect(loaded.sort()).toEqual([...group.names].sort());
    }
  });

  it('every command --help lists has its usage and summary in both catalogs', () => {
    for (const lang of ['en', 'ko'] as const) {
      for (const name of commandNames()) {
        const entry = catalog(lang)[name];
        expect([lang, name, typeof entry?.usage, typeof entry?.summary]).toEqual([
          lang,
          name,
          'string',
          'string',
        ]);
        // Usage lines are syntax: the same in every language, so completion reads either.
        expect(entry!.usage).toBe(catalog('en')[name]!.usage);
        expect(entry!.usage!.split('\n').every((l) => l.startsWith(`${name}`))).toBe(true);
      }
    }
    expect(Object.keys(catalog('en')).sort()).toEqual(commandNames().sort());
  });
});
