// Drill (issue 7): unit files and crontabs full of garbage: random bytes with NULs, a line of
// megabytes, bytes that are not UTF-8. Listing works and says what is wrong in words; the app
// never rewrites a line it does not own: a crontab keeps every byte of its foreign lines through
// an add, a disable and two undos, and a crontab cron cannot read is left alone with a notice.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CronState } from '../../main/core/model/startup.js';
import type { Entry } from '../../main/core/model/domain.js';
import type { Core } from '../../main/core/app.js';
import { MATCH_RULES } from '../../main/core/systemd/unit-service.js';
import { matchRules } from '../harness/bus-stats.js';
import { startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import {
  sandboxCore,
  watchProcessFaults,
  type ProcessFaults,
  stopDrill,
} from '../harness/drill.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { runCli } from '../helpers/cli.js';
import { sleeperUnit } from '../helpers/units.js';

/** Reproducible junk: every byte value, NULs and newlines included. */
function junk(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** Unit files nobody should have to see, and the one that is fine. */
const UNIT_FILES: Record<string, Buffer> = {
  'dd-random.service': junk(4096, 1),
  'dd-random.socket': junk(2048, 2),
  'dd-random.timer': junk(1024, 3),
  'dd-huge-line.service': Buffer.from(
    `[Unit]\nDescription=${'x'.repeat(2_000_000)}\n[Service]\nExecStart=/bin/true\n`,
  ),
  'dd-nul.service': Buffer.from(
    '[Unit]\nDescription=a\0b\n[Service]\nExecStart=/bin/sleep 1\0 2\n',
  ),
  'dd-not-utf8.service': latin1(
    '[Unit]\nDescription=\xff\xfe\xfd\n[Se\xe9rvice]\nExecStart=/bin/echo \xe9\n',
  ),
  'dd-big.service': junk(3 * 1024 * 1024, 4),
  'dd-fine.service': Buffer.from(sleeperUnit('Fine among the junk', false)),
};

/** A crontab crontab(1) installs: foreign lines with Latin-1, NULs, a 200 kB line, odd spacing. */
const FOREIGN = Buffer.concat([
  latin1('# caf\xe9 cr\xe8me, by hand\n'),
  Buffer.from('MAILTO=""\n'),
  latin1('@reboot /bin/echo caf\xe9 \xff\xfe >/dev/null\n'),
  Buffer.from('# nul\0inside\n'),
  Buffer.from(`#${'y'.repeat(200_000)}\n`),
  Buffer.from('*/5 * * * * /bin/true   \t\n'),
  Buffer.concat([Buffer.from('@reboot /bin/true '), Buffer.of(0xc3, 0x28), Buffer.from('\n')]),
]);

/** A crontab cron cannot read, as only a direct write into the spool could leave it. */
const UNREADABLE = Buffer.concat([
  Buffer.from('@reboot /bin/true kept\n'),
  junk(3000, 5),
  Buffer.from(`\n${'z'.repeat(100_000)}\n`),
]);

describe('drill: garbage in unit files and crontabs', () => {
  let sb: Sandbox;
  let cs: CronSandbox;
  let core: Core;
  let faults: ProcessFaults;
  let env: NodeJS.ProcessEnv;

  const entry = (name: string): Entry | undefined =>
    core.monitor.snapshot().entries.find((e) => e.name === name);

  beforeAll(async () => {
    faults = watchProcessFaults();
    sb = await startSandbox({ label: 'drill-garbage' });
    cs = await startCronSandbox();
    env = { ...sb.env, DAEMON_DECK_CRONTAB_ARGV: JSON.stringify(cs.crontab) };
    for (const [name, bytes] of Object.entries(UNIT_FILES))
      await writeFile(join(sb.unitDir, name), bytes);
    await mkdir(join(sb.unitDir, 'dd-fine.service.d'));
    await writeFile(join(sb.unitDir, 'dd-fine.service.d', 'junk.conf'), junk(512, 6));
    // A name systemd cannot even take (not UTF-8): it must not trip the listing either.
    await writeFile(
      Buffer.concat([Buffer.from(`${sb.unitDir}/dd-`), Buffer.of(0xff), Buffer.from('.service')]),
      'x',
    );
    await sb.daemonReload();
    await cs.exec(['sh', '-c', 'cat > /var/spool/cron/crontabs/root'], '');
    await writeFile(join(cs.spool, 'root'), UNREADABLE);
    core = sandboxCore(sb, { crontab: cs.crontab });
    await core.monitor.start();
  });
  afterAll(() => stopDrill(core?.monitor, cs, sb, faults));

  it('unit files: all listed, the snapshot is plain JSON, each says what is wrong when acted on', async () => {
    expect(core.monitor.snapshot().sources.systemd).toEqual({ status: 'ok' });
    const names = Object.keys(UNIT_FILES);
    for (const name of names) expect(entry(name), name).toBeDefined();
    expect(JSON.parse(JSON.stringify(core.monitor.snapshot()))).toEqual(core.monitor.snapshot());
    // systemd calls these files bad; so does the list.
    expect(entry('dd-random.service')?.autostart.state).toBe('bad');

    for (const name of ['dd-random.service', 'dd-huge-line.service', 'dd-not-utf8.service']) {
      const r = await core.monitor.act(`systemd:${name}`, 'start');
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/failed to load properly/);
      const d = await core.monitor.unitDetail(name);
      expect(d).toMatchObject({ ok: true, value: { loadState: 'error' } });
      const def = await core.authoring.definition(name);
      expect(def.ok, name).toBe(true);
    }
    // The fine one, junk drop-in and all, still starts and stops.
    expect(await core.monitor.act('systemd:dd-fine.service', 'start')).toMatchObject({ ok: true });
    expect(await core.monitor.act('systemd:dd-fine.service', 'stop')).toMatchObject({ ok: true });
    // "How does this start?" reads every user unit file, junk included.
    expect(
      await core.startup.service.howItStarts({ argv: ['/bin/sleep', '100000'] }),
    ).toMatchObject({ ok: true });

    const list = await runCli(env, 'list', '--json', '--kind', 'service');
    expect(list.code, list.stderr).toBe(0);
    const listed = (JSON.parse(list.stdout) as Entry[]).map((e) => e.name);
    for (const name of names.filter((n) => n.endsWith('.service'))) expect(listed).toContain(name);
    const status = await runCli(env, 'status', 'dd-random.service');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/dd-random\.service/);
    expect(faults.seen).toEqual([]);
  });

  it('a crontab cron cannot read: listed with a notice, a change is refused in words, no byte moves', async () => {
    const s = await core.startup.service.listCron();
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    const notice = s.value.notices.find((n) => n.code === 'unreadable-lines');
    expect(notice?.message).toMatch(/^Lines \d+, .* not lines cron can read\. .*crontab -e/);
    expect(s.value.jobs.map((j) => j.command)).toContain('/bin/true kept');
    expect(core.monitor.snapshot().sources.cron).toEqual({ status: 'ok' });

    const add = await core.startup.service.addCron(['/bin/true', 'more'], {});
    expect(add).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    if (!add.ok)
      expect(add.error.message).toMatch(
        /^crontab refused the change because of line \d+ .* Nothing was changed/,
      );
    expect(await readFile(join(cs.spool, 'root'))).toEqual(UNREADABLE);

    const cli = await runCli(env, 'cron', 'list', '--json');
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as CronState).notices.map((n) => n.code)).toContain(
      'unreadable-lines',
    );
  });

  it('foreign lines that are not UTF-8 keep every byte through add, disable and undo', async () => {
    const file = join(sb.root, 'foreign.crontab');
    await writeFile(file, FOREIGN);
    expect((await cs.exec(['crontab', file])).code).toBe(0);
    expect(await cs.crontabBytes()).toEqual(FOREIGN);

    const s = await core.startup.service.listCron();
    expect(s.ok && s.value.notices.map((n) => n.code)).not.toContain('unreadable-lines');
    const latin = s.ok ? s.value.jobs.find((j) => j.command.startsWith('/bin/echo caf')) : null;
    expect(latin).toBeDefined();

    const add = await core.startup.service.addCron(['/bin/true', 'added'], {});
    expect(add.ok, JSON.stringify(add)).toBe(true);
    const line = '@reboot /bin/true added\n';
    expect(await cs.crontabBytes()).toEqual(Buffer.concat([FOREIGN, Buffer.from(line)]));

    const key = add.ok ? add.value.key! : '';
    expect((await core.startup.service.setCronEnabled(key, false)).ok).toBe(true);
    expect(await cs.crontabBytes()).toEqual(
      Buffer.concat([FOREIGN, Buffer.from(`#daemon-deck:disabled# ${line}`)]),
    );

    // The CLI's JSON of such a crontab is valid JSON.
    const cli = await runCli(env, 'cron', 'list', '--json');
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as CronState).jobs.length).toBe(
      s.ok ? s.value.jobs.length + 1 : -1,
    );
    expect((await runCli(env, 'cron', 'list')).code).toBe(0);

    expect((await core.startup.service.undoCron()).ok).toBe(true);
    expect((await core.startup.service.undoCron()).ok).toBe(true);
    expect(await cs.crontabBytes()).toEqual(FOREIGN);
    expect((await matchRules(sb)).count).toBe(MATCH_RULES.length);
    expect(faults.seen).toEqual([]);
  });
});
