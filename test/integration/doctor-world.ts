// The world "Will it start?" tests plant faults in: a sandboxed systemd --user with its session
// bus, a private crontab and cron daemon, private autostart folders (user and "system", through
// XDG_CONFIG_DIRS), private cron.allow/cron.deny paths, and a linger folder of its own (logind
// cannot run here, so linger is switched by a loginctl stand-in that writes the file logind would).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createStartup } from '../../main/core/autostart/startup-service.js';
import { Linger } from '../../main/core/autostart/linger.js';
import { listProcesses } from '../../main/core/cron/proc-list.js';
import { DoctorService } from '../../main/core/doctor/doctor-service.js';
import { createLocalHost } from '../../main/core/host/local-host.js';
import type { Host } from '../../main/core/host/host.js';
import type { DoctorCode, DoctorFinding, DoctorSeverity } from '../../main/core/model/doctor.js';
import type { StartupWiring } from '../../main/core/autostart/startup-service.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { startCronSandbox, type CronDaemon, type CronSandbox } from '../harness/cron-sandbox.js';

export interface DoctorWorld {
  sb: Sandbox;
  cron: CronSandbox;
  host: Host;
  env: NodeJS.ProcessEnv;
  startup: StartupWiring;
  doctor: DoctorService;
  /** ~/.config/autostart and the "system" autostart folder. */
  userAutostart: string;
  systemAutostart: string;
  /** A folder on the user's PATH but not on cron's. */
  tools: string;
  allowFile: string;
  denyFile: string;
  lingerDir: string;
  setCronAtBoot(v: boolean | null): void;
  cronDaemon: CronDaemon | null;
  startCron(): Promise<void>;
  stopCron(): Promise<void>;
  /** Findings of one entry from a check of everything. */
  findingsOf(id: string): Promise<DoctorFinding[]>;
  expectFinding(id: string, code: DoctorCode, severity: DoctorSeverity): Promise<DoctorFinding>;
  expectNoFinding(id: string, code: DoctorCode): Promise<void>;
  /** Writes a unit, enables it and reloads. */
  enableUnit(name: string, text: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startDoctorWorld(label: string): Promise<DoctorWorld> {
  const sb = await startSandbox({ label });
  let cron: CronSandbox;
  try {
    cron = await startCronSandbox();
  } catch (err) {
    await sb.stop();
    throw err;
  }
  const systemConfig = join(sb.root, 'etc-xdg');
  const systemAutostart = join(systemConfig, 'autostart');
  const userAutostart = join(sb.configHome, 'autostart');
  const tools = join(sb.root, 'tools');
  const lingerDir = join(sb.root, 'linger');
  for (const d of [systemAutostart, userAutostart, tools, lingerDir])
    await mkdir(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...sb.env,
    PATH: `${tools}:${sb.env.PATH ?? '/usr/bin:/bin'}`,
    XDG_CONFIG_DIRS: systemConfig,
    XDG_CURRENT_DESKTOP: 'GNOME',
    DAEMON_DECK_CRONTAB_ARGV: JSON.stringify(cron.crontab),
  };
  const host = createLocalHost(env);
  // As the app does: the startup services share a process table at most a few seconds old.
  let table: { at: number; list: ReturnType<typeof listProcesses> } | null = null;
  const processes = () => {
    if (table === null || Date.now() - table.at > 5000)
      table = { at: Date.now(), list: listProcesses() };
    // Other tests on this machine run cron daemons of their own: only ours counts as running.
    return table.list.filter((p) => p.comm !== 'cron' || p.pid === world.cronDaemon?.pid);
  };
  // The spool's bind source is the folder crontab(1) installs into inside the namespace.
  const wiring = createStartup({
    host,
    crontab: cron.crontab,
    crontabSpool: cron.spool,
    processes,
  });
  const user = 'root';
  const linger = new Linger({
    host,
    user,
    uid: 0,
    lingerDir,
    systemBusAvailable: () => false,
    loginctl: async (args) => {
      if (args[0] === 'enable-linger') await writeFile(join(lingerDir, user), '');
      else await rm(join(lingerDir, user), { force: true });
      return { code: 0, stdout: '', stderr: '' };
    },
  });
  const startup: StartupWiring = { ...wiring, linger };
  let atBoot: boolean | null = true;
  const allowFile = join(sb.root, 'cron.allow');
  const denyFile = join(sb.root, 'cron.deny');
  const doctor = new DoctorService({
    host,
    startup,
    reader: {
      cronAtBoot: () => Promise.resolve(atBoot),
      cronAccessFiles: { allow: allowFile, deny: denyFile },
      user,
    },
  });
  const world: DoctorWorld = {
    sb,
    cron,
    host,
    env,
    startup,
    doctor,
    userAutostart,
    systemAutostart,
    tools,
    allowFile,
    denyFile,
    lingerDir,
    cronDaemon: null,
    setCronAtBoot: (v) => (atBoot = v),
    async startCron() {
      if (world.cronDaemon === null) world.cronDaemon = await cron.startCron();
      table = null;
      // The daemon is seen in /proc once it has exec'd cron.
      for (let i = 0; i < 50; i++) {
        const s = await startup.cron.list();
        if (s.ok && s.value.running) return;
        table = null;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('cron did not come up');
    },
    async stopCron() {
      await world.cronDaemon?.stop();
      world.cronDaemon = null;
      table = null;
    },
    async findingsOf(id) {
      const r = await doctor.check();
      if (!r.ok) throw new Error(r.error.message);
      return r.value.findings.filter((f) => f.entry === id);
    },
    async expectFinding(id, code, severity) {
      const all = await world.findingsOf(id);
      const f = all.find((x) => x.code === code);
      expect(f, `${code} for ${id} in ${JSON.stringify(all)}`).toBeDefined();
      expect(f!.severity).toBe(severity);
      expect(f!.message.length).toBeGreaterThan(10);
      // The one-entry check says the same about the entry.
      const one = await doctor.check(id);
      expect(one.ok && one.value.findings.some((x) => x.code === code)).toBe(true);
      return f!;
    },
    async expectNoFinding(id, code) {
      const all = await world.findingsOf(id);
      expect(all.filter((x) => x.code === code)).toEqual([]);
    },
    async enableUnit(name, text) {
      await sb.writeUnit(name, text);
      const r = await sb.systemctl('enable', name);
      expect(r.code, r.stderr).toBe(0);
      await sb.daemonReload();
    },
    async stop() {
      await doctor.close();
      await world.stopCron();
      await cron.stop();
      await sb.stop();
    },
  };
  return world;
}
