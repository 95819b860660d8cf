import { test } from 'vitest';
import { startFarHost } from '../harness/far-host.js';
import { spawn } from 'node:child_process';
test('smoke', async () => {
  const t0 = Date.now();
  const far = await startFarHost({ label: 'smoke' });
  try {
  console.log('up in', Date.now() - t0, far.user, far.port);
  console.log((await far.systemctl('list-units', '--all', '--no-legend')).stdout.split('\n').length);
  const r = await far.ssh(`env | sort`);
  console.log(r.stdout);
  // try busctl over unixexec through our ssh
  const b = await (await import('node:child_process')).execFileSync('busctl', ['--address', `unixexec:path=ssh,argv1=-F,argv2=${far.sshConfig},argv3=far,argv4=systemd-stdio-bridge,argv5=--bus-path=${far.busAddress}`, 'call', 'org.freedesktop.systemd1', '/org/freedesktop/systemd1', 'org.freedesktop.systemd1.Manager', 'GetUnit', 's', 'dbus.socket'], {encoding:'utf8'});
  console.log(b);
  } finally {
  await far.stop();
  console.log('stopped');
  }
}, 60000);
