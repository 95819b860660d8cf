// Drill (issue 7): cron is missing. First the crontab command is not on PATH at all (cron not
// installed); then crontab is there but the cron daemon is not running. The cron source says
// which, in words, through the core and the CLI; @reboot changes fail readably and write nothing;
// every other source carries on.
import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CronState } from '../../main/core/model/startup.js';
import type { Core } from '../../main/core/app.js';
import { MATCH_RULES } from '../../main/core/systemd/unit-service.js';
import { matchRules } from '../harness/bus-stats.js';
import { startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import {
  memoryBackend,
  watchProcessFaults,
  type ProcessFaults,
  stopDrill,
} from '../harness/drill.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { createCore } from '../../main/core/app.js';
import { DAEMON_DECK_BIN, runCli, runFile } from '../helpers/cli.js';

/** A folder of links to every program on `path` except `missing`: a PATH without them. */
async function pathWithout(dir: string, path: string, missing: string[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const linked = new Set(missing);
  for (const d of path.split(delimiter)) {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      continue;
    }
    for (const n of names) {
      if (linked.has(n)) continue;
      linked.add(n);
      await symlink(join(d, n), join(dir, n));
    }
  }
  return dir;
}

describe('drill: cron missing', () => {
  let sb: Sandbox;
  let faults: ProcessFaults;

  beforeAll(async () => {
    faults = watchProcessFaults();
    sb = await startSandbox({ label: 'drill-cron' });
  });
  afterAll(() => stopDrill(sb, faults));

  describe('crontab is not on PATH', () => {
    let core: Core;
    let env: NodeJS.ProcessEnv;
    const backups = () => join(sb.env.XDG_DATA_HOME!, 'daemon-deck', 'cron-backups');

    beforeAll(async () => {
      const bin = await pathWithout(join(sb.root, 'bin'), sb.env.PATH ?? '', ['crontab']);
      env = { ...sb.env, PATH: bin };
      // The app's own default: crontab looked up on PATH.
      core = createCore({
        env,
        busAddress: sb.busAddress,
        settingsBackend: memoryBackend(),
        pollMs: { processes: 200, sessions: 60_000, startup: 60_000 },
      });
      await core.monitor.start();
    });
    afterAll(async () => {
      await core?.monitor.stop();
    });

    it('the cron state says cron is not installed; the other sources are fine', async () => {
      const s = await core.startup.service.listCron();
      expect(s.ok).toBe(true);
      if (!s.ok) return;
      expect(s.value).toMatchObject({ installed: false, jobs: [] });
      const notice = s.value.notices.find((n) => n.code === 'cron-not-installed');
      expect(notice?.severity).toBe('warning');
      expect(notice?.message).toMatch(/cron is not installed/);
      expect(notice?.message).toMatch(/systemd user service/);

      const sources = core.monitor.snapshot().sources;
      expect(sources).toMatchObject({
        systemd: { status: 'ok' },
        processes: { status: 'ok' },
        autostart: { status: 'ok' },
        cron: { status: 'ok' },
      });
      expect(core.monitor.snapshot().entries.some((e) => e.kind === 'service')).toBe(true);
    });

    it('adding an @reboot line fails in words and writes nothing', async () => {
      const add = await core.startup.service.addCron(['/bin/true'], {});
      expect(add).toMatchObject({ ok: false, error: { code: 'unsupported' } });
      if (!add.ok) expect(add.error.message).toMatch(/cron is not installed.*crontab command/);
      const setup = await core.startup.service.setup({ mechanism: 'cron', argv: ['/bin/true'] });
      expect(setup).toMatchObject({ ok: false, error: { code: 'unsupported' } });
      expect(await core.startup.service.undoCron()).toMatchObject({ ok: false });
      expect(existsSync(backups())).toBe(false);
      // An action on a cron entry answers, it does not throw.
      expect(await core.monitor.act('cron:0badc0de', 'start')).toMatchObject({ ok: false });
      // The other ways to start things still work.
      const auto = await core.startup.service.setup({
        mechanism: 'xdg-autostart',
        argv: ['/bin/true'],
        name: 'drill true',
      });
      expect(auto).toMatchObject({ ok: true, value: { mechanism: 'xdg-autostart' } });
      expect((await matchRules(sb)).count).toBe(MATCH_RULES.length);
      expect(faults.seen).toEqual([]);
    });

    it('the CLI says the same in one line, and the rest of it works', async () => {
      const list = await runCli(env, 'cron', 'list');
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^warning: cron is not installed/m);
      const add = await runCli(env, 'cron', 'add', '--', '/bin/true');
      expect(add.code).toBe(1);
      expect(add.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^daemon-deck: cron is not installed/),
      ]);
      const all = await runCli(env, 'list', '--json');
      expect(all.code).toBe(0);
      expect((JSON.parse(all.stdout) as unknown[]).length).toBeGreaterThan(0);
      expect(existsSync(backups())).toBe(false);
    });
  });

  describe('crontab is there but the cron daemon is not running', () => {
    let cs: CronSandbox;
    const LINE = '@reboot /bin/true\n';

    beforeAll(async () => {
      cs = await startCronSandbox();
      expect((await cs.exec(['crontab', '-'], LINE)).code).toBe(0);
    });
    afterAll(async () => {
      await cs?.stop();
    });

    /**
     * `daemon-deck cron list --json` in the private cron namespace and a PID namespace of its
     * own, whose /proc shows only what runs inside it: no machine's cron daemon can answer for
     * the one the drill wants missing. With `withCron`, `cron -f` runs in there first.
     */
    async function cronListAlone(withCron: boolean): Promise<CronState> {
      const nsenter = cs.crontab.slice(0, -1);
      const script = withCron
        ? 'cron -f & until grep -qx cron /proc/[0-9]*/comm 2>/dev/null; do sleep 0.05; done; exec "$@"'
        : 'exec "$@"';
      const r = await runFile(
        nsenter[0]!,
        [
          ...nsenter.slice(1),
          'unshare',
          '-p',
          '-f',
          '--mount-proc',
          '--',
          'sh',
          '-c',
          script,
          'sh',
          process.execPath,
          DAEMON_DECK_BIN,
          'cron',
          'list',
          '--json',
        ],
        // Plain `crontab` inside the namespace: not the sandbox's stand-in that does not exist.
        {
          ...sb.env,
          DAEMON_DECK_CRONTAB_ARGV: undefined,
          PATH: '/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        },
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as CronState;
    }

    it('says the daemon is not running, and lists the lines anyway', async () => {
      const s = await cronListAlone(false);
      expect(s).toMatchObject({ installed: true, running: false });
      expect(s.jobs).toMatchObject([{ reboot: true, command: '/bin/true' }]);
      const notice = s.notices.find((n) => n.code === 'cron-not-running');
      expect(notice?.severity).toBe('warning');
      expect(notice?.message).toMatch(/cron daemon is not running/);
    });

    it('and stops saying so once cron runs', async () => {
      const s = await cronListAlone(true);
      expect(s).toMatchObject({ installed: true, running: true });
      expect(s.notices.map((n) => n.code)).not.toContain('cron-not-running');
      expect((await cs.exec(['crontab', '-l'])).stdout).toBe(LINE);
    });
  });
});
