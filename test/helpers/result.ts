import { expect } from 'vitest';
import type { Result } from '../../main/core/model/domain.js';

/** The value of a result the test needs to be ok; otherwise the test fails with the whole error. */
export function done<T>(r: Result<T>): T {
  expect(r.ok, JSON.stringify(r)).toBe(true);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
