// The shell's part of the IPC table for tests that open no windows.
import type { WindowOps } from '../../main/core/api/ipc-table.js';

/** Windows that open nothing and say so: `{ ok: true, value: null }`. */
export const noWindows: WindowOps = {
  openDetail: () => Promise.resolve({ ok: true, value: null }),
  openPage: () => Promise.resolve({ ok: true, value: null }),
};
