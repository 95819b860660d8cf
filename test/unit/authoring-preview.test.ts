import { describe, expect, it } from 'vitest';
import { previewServiceForm } from '../../main/core/systemd/unit-checks.js';
import { serviceForm } from '../helpers/units.js';

const form = (argv: string[]) => serviceForm({ name: 'x', description: '', argv });

describe('the live preview', () => {
  it('resolves a bare program on PATH and shows the exact ExecStart', async () => {
    const p = await previewServiceForm(form(['sh', '-c', 'echo $HOME']), {
      PATH: '/nonexistent:/bin',
    });
    expect(p.issues).toEqual([]);
    expect(p.execStart).toBe('ExecStart="/bin/sh" "-c" "echo $$HOME"');
  });
  it('says when a program is not on PATH', async () => {
    const p = await previewServiceForm(form(['no-such-program-dd']), { PATH: '/bin' });
    expect(p.issues).toEqual([
      {
        field: 'argv.0',
        message: '"no-such-program-dd" is not a program on PATH: give its full path.',
      },
    ]);
    expect(p.files).toEqual([]);
  });
  it('expands ~/ to the home directory', async () => {
    const p = await previewServiceForm(form(['~/bin/tool']), { HOME: '/home/u' });
    expect(p.execStart).toBe('ExecStart="/home/u/bin/tool"');
  });
});
