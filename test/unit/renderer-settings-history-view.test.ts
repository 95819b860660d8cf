import { describe, expect, it } from 'vitest';
import type { CrashRecord } from '../../main/core/model/alerts.js';
import type { Entry } from '../../main/core/model/domain.js';
import {
  flappingText,
  historyDays,
  howItEnded,
  whatHappened,
} from '../../renderer/src/detail/history-view.js';
import {
  activeMutes,
  muteUntilText,
  nameFor,
  parseLogLines,
  parsePollSeconds,
} from '../../renderer/src/settings/settings-view.js';

const NOW = new Date(2026, 2, 10, 12, 0, 0).getTime();
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const record = (msAgo: number, patch: Partial<CrashRecord> = {}): CrashRecord => ({
  at: at(msAgo),
  reason: 'failed',
  exit: 'exited with status 1',
  restarts: 0,
  ...patch,
});

describe('History tab view', () => {
  it('groups records by day, newest first, with what happened and how it ended', () => {
    const days = historyDays(
      [
        record(60_000, { reason: 'auto-restart', restarts: 4, exit: 'was killed by signal KILL' }),
        record(3600_000),
        record(25 * 3600_000, { reason: 'vanished', exit: null }),
        record(5 * 24 * 3600_000),
      ],
      NOW,
    );
    expect(days.map((d) => [d.label, d.rows.length])).toEqual([
      ['Today', 2],
      ['Yesterday', 1],
      [expect.any(String), 1],
    ]);
    expect(days[0]?.rows[0]).toMatchObject({
      what: 'Crashed; systemd restarted it',
      how: 'It was killed by signal KILL.',
      restarts: 'Restart 4',
      recent: true,
    });
    expect(days[0]?.rows[1]).toMatchObject({ restarts: null, recent: false });
    expect(days[1]?.rows[0]?.what).toBe('Went away without a stop');
    expect(days[1]?.rows[0]?.how).toMatch(/not known \(it is not a child of Daemon Deck\)/);
  });

  it('says what it knows and counts the crashes that make it flap', () => {
    expect(whatHappened(record(0))).toBe('Crashed');
    expect(howItEnded(record(0, { exit: null }))).toBe('Its exit status is not known.');
    const burst = [0, 1, 2, 3, 4].map((i) => record(i * 60_000)).concat(record(3600_000));
    expect(flappingText(burst, NOW)).toBe('5 crashes in the last 10 min');
    expect(flappingText([record(0)], NOW)).toBe('1 crash in the last 10 min');
  });
});

describe('Settings page view', () => {
  it('reads the poll interval in whole seconds from 1 to 60, in clear words otherwise', () => {
    expect(parsePollSeconds(' 5 ')).toEqual({ ok: true, value: 5000 });
    expect(parsePollSeconds('60')).toEqual({ ok: true, value: 60_000 });
    for (const bad of ['0', '61', '1.5', '-2', 'two', ''])
      expect(parsePollSeconds(bad)).toEqual({
        ok: false,
        message: 'Enter a whole number of seconds from 1 to 60.',
      });
  });

  it('reads log lines from 0 to 10', () => {
    expect(parseLogLines('0')).toEqual({ ok: true, value: 0 });
    expect(parseLogLines('11')).toMatchObject({ ok: false, message: /from 0 to 10/ });
  });

  it('lists active mutes soonest first, until-unmuted last; ended ones are gone', () => {
    expect(
      activeMutes({ a: null, b: at(-120_000), c: at(-60_000), d: at(60_000) }, NOW).map(
        (m) => m.id,
      ),
    ).toEqual(['c', 'b', 'a']);
    expect(muteUntilText(null, NOW)).toBe('Until you unmute it');
    expect(muteUntilText(at(-60_000), NOW)).toMatch(/^Until \d/);
  });

  it('names an entry by its unit name while it exists, by its id otherwise', () => {
    const entries = [{ id: 'systemd:web.service', name: 'web.service' } as Entry];
    expect(nameFor('systemd:web.service', entries)).toBe('web.service');
    expect(nameFor('process:bot', entries)).toBe('bot');
    // A far host's mute names its host: this machine's web.service is another entry.
    expect(nameFor('host:nas:systemd:web.service', entries)).toBe('web.service on nas');
  });
});
