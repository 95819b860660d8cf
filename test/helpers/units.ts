// Unit files (and the form that makes one, and the arguments it may hold) used across unit,
// integration, e2e and bench tests.
import fc from 'fast-check';
import type { ServiceForm } from '../../main/core/model/authoring.js';
import { blankServiceForm, lineProblem } from '../../main/core/systemd/unit-file.js';

export function sleeperUnit(description = 'A test sleeper', install = true): string {
  return [
    '[Unit]',
    `Description=${description}`,
    '',
    '[Service]',
    'ExecStart=/bin/sleep 100000',
    '',
    ...(install ? ['[Install]', 'WantedBy=default.target', ''] : []),
  ].join('\n');
}

/** A oneshot unit whose start job fails with the given exit status. */
export function failingUnit(status = 3): string {
  return [
    '[Unit]',
    'Description=Exits with an error',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=/bin/sh -c "exit ${status}"`,
    '',
  ].join('\n');
}

/** Wait until `check` returns a truthy value, polling; throws with `what` on timeout. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A "New service" form for a sleeper, as the create form sends it; override what a test needs. */
export function serviceForm(over: Partial<ServiceForm> & { name: string }): ServiceForm {
  return {
    ...blankServiceForm(over.name),
    description: `test ${over.name}`,
    argv: ['/bin/sleep', '100000'],
    ...over,
  };
}

/**
 * One argument a unit file can hold: anything but control characters and lone surrogates, with
 * the characters and sequences systemd treats specially (quotes, `$`, `%` specifiers, escapes,
 * the empty string) well represented.
 */
export const unitArg = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ...[' ', '"', "'", '\\', '$', '%', ';', '@', '-', '+', '!', ':', 'é', '日本', '🙂'],
        ...['${HOME}', '$HOME', '${X}', '$X', '%n', '%%', '\\n', '\\x41', '"a b"', ''],
      ),
      fc.string({ unit: 'grapheme', maxLength: 4 }).filter((s) => lineProblem(s, 'x') === null),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));
