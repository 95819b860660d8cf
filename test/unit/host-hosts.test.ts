// The hosts list in settings (issue 17): a name and an SSH destination, nothing else; a
// destination ssh could read as an option is refused; only a host in the list is opened.
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../main/core/errors.js';
import {
  HOSTS_KEY,
  addHost,
  openHost,
  readHosts,
  removeHost,
  sshArgvFromEnv,
} from '../../main/core/host/hosts.js';
import { sshFailure } from '../../main/core/host/ssh-host.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';

const failure = (fn: () => unknown): AppFailure => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppFailure) return err;
    throw err;
  }
  throw new Error('did not fail');
};

describe('hosts in settings', () => {
  it('adds, lists and removes hosts, keeping what it cannot read', () => {
    const backend = createMemoryBackend({ [HOSTS_KEY]: [{ name: 'bad name!', destination: 'x' }] });
    expect(readHosts(backend)).toEqual([]);
    addHost(backend, 'nas', 'me@nas.local');
    addHost(backend, 'vps', 'vps');
    expect(readHosts(backend)).toEqual([
      { name: 'nas', destination: 'me@nas.local' },
      { name: 'vps', destination: 'vps' },
    ]);
    expect(failure(() => addHost(backend, 'nas', 'other')).error.code).toBe('conflict');
    removeHost(backend, 'nas');
    expect(readHosts(backend).map((h) => h.name)).toEqual(['vps']);
    expect(backend.get(HOSTS_KEY)).toContainEqual({ name: 'bad name!', destination: 'x' });
    expect(failure(() => removeHost(backend, 'nas')).error.message).toMatch(
      /no host named nas.*host add nas/,
    );
  });

  it.each([
    ['-oProxyCommand=sh', 'option'],
    ['host name', 'space'],
    ['a\nb', 'newline'],
    ['', 'empty'],
  ])('refuses the destination %j (%s)', (destination) => {
    const backend = createMemoryBackend();
    expect(failure(() => addHost(backend, 'x', destination)).error.code).toBe('invalid-input');
    expect(readHosts(backend)).toEqual([]);
  });

  it('refuses "local" and names that are not plain words', () => {
    const backend = createMemoryBackend();
    for (const name of ['local', '-x', 'a b', '', 'x/y'])
      expect(failure(() => addHost(backend, name, 'dest')).error.code).toBe('invalid-input');
  });

  it('opens this machine for no name or "local", and only hosts in settings otherwise', async () => {
    const backend = createMemoryBackend();
    expect((await openHost(undefined, { backend, env: {} })).name).toBe('local');
    expect((await openHost('local', { backend, env: {} })).name).toBe('local');
    const err = await openHost('elsewhere', { backend, env: {} }).catch((e: unknown) => e);
    expect((err as AppFailure).error.message).toMatch(/no host named elsewhere/);
  });

  it('reads the test hook for the ssh client as a JSON argv only', () => {
    expect(sshArgvFromEnv({})).toBeUndefined();
    expect(sshArgvFromEnv({ DAEMON_DECK_SSH_ARGV: '["ssh","-F","/x"]' })).toEqual([
      'ssh',
      '-F',
      '/x',
    ]);
    expect(() => sshArgvFromEnv({ DAEMON_DECK_SSH_ARGV: 'ssh -F /x' })).toThrow(AppFailure);
  });

  it("turns ssh's failures into words that say what to do", () => {
    expect(sshFailure('nas', 'me@nas', 'me@nas: Permission denied (publickey).').message).toMatch(
      /refused the SSH login.*ssh-copy-id me@nas/,
    );
    expect(sshFailure('nas', 'nas', 'Host key verification failed.').message).toMatch(/host key/);
    expect(
      sshFailure('nas', 'nas', 'ssh: connect to host nas port 22: Connection refused').message,
    ).toBe('nas cannot be reached: ssh: connect to host nas port 22: Connection refused');
    expect(sshFailure('nas', 'nas', 'x').code).toBe('host-unreachable');
  });
});
