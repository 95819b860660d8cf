// Settings > Setup file in the real page against the real core (issue 17): a setup file picked
// in Import... shows its plan before anything is written; Import makes the unit, enabled and
// running as the file says; Undo takes it away again. Screenshots of the plan, light and dark.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeSetup } from '../../main/core/setup/export.js';
import { sleeperUnit } from '../helpers/units.js';
import { shoot } from './a11y.js';
import { e2eSuite } from './e2e-setup.js';

describe('Settings: setup file', () => {
  const suite = e2eSuite({
    label: 'setup-file',
    units: {},
    open: 'settings.html',
    viewport: { width: 700, height: 1100 },
  });

  it('shows the plan first, imports on Import, and Undo takes it back', async () => {
    const { page, e2e, recorded } = suite;
    const unit = join(e2e.sb.unitDir, 'from-setup.service');
    const path = join(e2e.sb.root, 'setup.json');
    await writeFile(
      path,
      serializeSetup({
        kind: 'daemon-deck-setup',
        version: 1,
        units: [
          { name: 'from-setup.service', enabled: true, running: true, text: sleeperUnit('Set up') },
        ],
        crontab: [],
        autostart: [],
        watchRules: [],
      }),
    );
    await page.locator('input[type="file"]').setInputFiles(path);
    await page.getByText('1 to create, 0 the same, 0 different').waitFor({ timeout: 15_000 });
    expect(existsSync(unit)).toBe(false);
    await shoot(page, 'settings-setup-plan');

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Imported.').waitFor({ timeout: 30_000 });
    expect(existsSync(unit)).toBe(true);
    expect(await e2e.is('is-active', 'from-setup.service')).toBe('active');
    expect(await e2e.is('is-enabled', 'from-setup.service')).toBe('enabled');

    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('The import was undone.').waitFor({ timeout: 30_000 });
    expect(existsSync(unit)).toBe(false);
    expect(await recorded.problems()).toEqual([]);
  });
});
