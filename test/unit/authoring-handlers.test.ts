import { describe, expect, it } from 'vitest';
import type { ServiceForm } from '../../main/core/model/authoring.js';
import { authoringChannels } from '../../contract/areas/authoring.js';
import {
  createAuthoringHandlers,
  type AuthoringDeps,
} from '../../main/core/api/authoring-handlers.js';
import { createApi, type Transport } from '../../preload/api.js';
import { ok } from '../../main/core/errors.js';

const form: ServiceForm = {
  name: 'web',
  description: '',
  argv: ['/bin/true'],
  workingDirectory: null,
  environment: [{ name: 'A', value: 'b' }],
  restart: 'no',
  restartSec: null,
  startAtLogin: false,
  afterNetwork: false,
  socket: { listen: '8080', accept: true },
};

/** An AuthoringService that records what reached it. */
function recorder() {
  const calls: Array<[string, unknown[]]> = [];
  const ops = new Proxy({} as AuthoringDeps, {
    get:
      (_t, name: string) =>
      (...args: unknown[]) => {
        calls.push([name, args]);
        return Promise.resolve(ok({ echoed: name }));
      },
  });
  return { ops, calls };
}

describe('authoring IPC handlers', () => {
  it('has one handler per channel', () => {
    expect(Object.keys(createAuthoringHandlers(undefined)).sort()).toEqual(
      Object.keys(authoringChannels).sort(),
    );
  });

  it('passes valid payloads to the core, named as the API names them', async () => {
    const { ops, calls } = recorder();
    const h = createAuthoringHandlers(ops);
    const transport: Transport = {
      invoke: (channel, payload) =>
        (h as unknown as Record<string, (p: unknown) => Promise<never>>)[channel]!(payload),
      subscribe: () => () => undefined,
    };
    const api = createApi(transport);
    await api.previewUnit(form);
    await api.splitCommand('echo hi');
    await api.createUnit(form, { enable: true, start: false });
    await api.getDefinition('systemd:web.service');
    await api.previewEdit('web.service', '[Service]\n');
    await api.updateUnitForm('web.service', form);
    await api.editUnitText('web.service', 'x');
    await api.revertToVendor('web.service');
    await api.deleteUnit('web.service');
    await api.undo('abc-12');
    await api.getLogs('web.service', { lines: 5, afterCursor: 'file:10' });
    await api.getLogs('web.service');
    await api.getResources('web.service');
    await api.listTimers();
    await api.previewCalendar('daily');
    await api.createTimer(
      {
        unit: 'web',
        description: '',
        onCalendar: 'daily',
        onBootSec: null,
        onActiveSec: null,
        persistent: true,
      },
      { enable: true },
    );
    expect(calls).toEqual([
      ['preview', [form]],
      ['splitCommand', ['echo hi']],
      ['create', [form, { enable: true, start: false }]],
      ['definition', ['systemd:web.service']],
      ['previewEdit', ['web.service', '[Service]\n']],
      ['updateForm', ['web.service', form]],
      ['editText', ['web.service', 'x']],
      ['revertToVendor', ['web.service']],
      ['remove', ['web.service']],
      ['undo', ['abc-12']],
      ['logs', ['web.service', { lines: 5, afterCursor: 'file:10' }]],
      ['logs', ['web.service', {}]],
      ['resources', ['web.service']],
      ['timers', []],
      ['calendarPreview', ['daily', 5]],
      ['createTimer', [expect.objectContaining({ unit: 'web' }), { enable: true }]],
    ]);
  });

  it('refuses malformed payloads before they reach the core', async () => {
    const { ops, calls } = recorder();
    const h = createAuthoringHandlers(ops);
    const bad: Array<[keyof typeof h, unknown]> = [
      ['authoring:create', { form, enable: 'yes', start: false }],
      ['authoring:create', { form: { ...form, restart: 'sometimes' }, enable: true, start: false }],
      ['authoring:create', { form: { ...form, extra: 1 }, enable: true, start: false }],
      ['authoring:preview', { form: { ...form, argv: 'echo' } }],
      ['authoring:logs', { id: 'web', lines: -1 }],
      ['authoring:logs', { id: '' }],
      ['authoring:undo', {}],
      ['authoring:timers', { x: 1 }],
      ['authoring:timer-preview', { onCalendar: 'daily', count: 1000 }],
      ['authoring:edit-text', { id: 'web', text: 5 }],
      ['authoring:delete', null],
    ];
    for (const [channel, payload] of bad) {
      const r = (await h[channel](payload)) as { ok: boolean; error?: { code: string } };
      expect([channel, r.ok, r.error?.code]).toEqual([channel, false, 'invalid-input']);
    }
    expect(calls).toEqual([]);
  });

  it('answers unsupported when the shell has not wired the service', async () => {
    const h = createAuthoringHandlers(undefined);
    const r = await h['authoring:delete']({ id: 'web.service' });
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'unsupported' }) as unknown,
    });
    expect((await h['authoring:timers'](null)).ok).toBe(false);
  });
});
