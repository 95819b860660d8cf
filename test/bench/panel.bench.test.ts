// The tray panel at scale (issue 7): the built panel in real Chromium against the real core with
// 1,000 user units in a private systemd --user (100 of them running), over the e2e transport.
// - first render (issue 16: under 100 ms median): navigation start -> the list showing rows laid
//   out, its footer counting all 1,000 units. Judged whole, from navigation start, as a user
//   opening the panel sees it. Printed beside it, from the same runs: the part from the page's
//   own scripts starting (its first call to main, after the preload and the script loads) to the
//   rows, the narrower reading of "first render"; and each phase (navigation timing and the
//   snapshot request's resource timing), so a regression says where it is;
// - update: a snapshot event arriving -> the DOM updated and laid out (JSON parse, Svelte's work,
//   style and layout; measured in the page from the event handler's first line to a microtask
//   right after Svelte's flush that forces layout), over every snapshot event while 50 outside
//   `systemctl --user stop`/`start` toggles run. Target: p95 under 16 ms (one frame). Also
//   printed: the latency to the next task, which adds whatever else the page had queued.
// Prints results; targets are reported, not asserted (timing on shared machines is noisy).
import { benchResults, percentile } from './support/bench-kit.js';
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import type { RecordedPage } from '../e2e/browser.js';
import { startE2e, type E2e } from '../e2e/e2e-setup.js';

const UNITS = 1000;
const RUNNING = 100;
const TOGGLES = 50;
const ROUNDS = 7;
/** The first render's phases, in the order they usually end. */
const PHASES = [
  'html',
  'preload',
  'firstCall',
  'snapshotRequested',
  'snapshotReceived',
  'snapshotParsed',
  'domContentLoaded',
  'rows',
] as const;
type Phase = (typeof PHASES)[number];
const name = (i: number) => `pb-${String(i).padStart(4, '0')}.service`;

const { report, save, results } = benchResults('panel');

/** What the page says on its console once the rows show (see INSTRUMENT). */
const ROWS_SHOWN = 'dd-panel-bench: rows shown';

// Runs in the page after the preload's stand-in (the e2e client) and before the page's scripts:
// records when each phase of the first render ends, and times every 'snapshot:changed' handler.
const INSTRUMENT = `(() => {
  const times = [];
  const latency = [];
  window.__panelBench = {
    times, latency, preloadAt: performance.now(), firstCallAt: null, rowsAt: null,
    snapshotAt: null, domAt: null, rowsInDom: null,
  };
  // The page's first call to main (a method of the preload's API: the preload's own early asks
  // are not calls of the page): its scripts are loaded and running.
  const api = window.daemonDeck;
  for (const [key, method] of Object.entries(api)) {
    api[key] = function (...args) {
      window.__panelBench.firstCallAt ??= performance.now();
      return method.apply(this, args);
    };
  }
  // When the first snapshot's answer has been parsed: what follows is the panel's own work.
  const realFetch = window.fetch;
  window.fetch = async function (input, init) {
    const response = await realFetch.call(this, input, init);
    if (!String(input).includes('snapshot%3Aget') || window.__panelBench.snapshotAt !== null)
      return response;
    const json = response.json.bind(response);
    response.json = async () => {
      const value = await json();
      window.__panelBench.snapshotAt ??= performance.now();
      return value;
    };
    return response;
  };
  document.addEventListener('DOMContentLoaded', () => {
    window.__panelBench.domAt = performance.now();
  });
  const add = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (type, handler, options) {
    if (type !== 'snapshot:changed' || typeof handler !== 'function') {
      return add.call(this, type, handler, options);
    }
    return add.call(this, type, function (event) {
      const t0 = performance.now();
      handler.call(this, event);
      // Svelte applies the change in a microtask the handler queued; this one runs right after
      // it, in the same task, and forces style and layout: the update's whole cost on the
      // renderer's main thread (paint, on the compositor, aside).
      queueMicrotask(() => {
        document.body.getBoundingClientRect();
        times.push(performance.now() - t0);
      });
      // And how long until the page could run anything else (other tasks queued meanwhile too).
      const channel = new MessageChannel();
      channel.port1.onmessage = () => latency.push(performance.now() - t0);
      channel.port2.postMessage(null);
    }, options);
  };
  const ROWS_SHOWN = ${JSON.stringify(ROWS_SHOWN)};
  // Ready when the list shows rows and the footer counts every unit (a virtualised list keeps
  // only the rows in view in the DOM, so rows are not counted).
  const ready = () => {
    if (document.querySelector('[role="switch"]') === null) return false;
    const count = /([0-9,]+) units/.exec(document.querySelector('footer')?.textContent ?? '');
    return count !== null && Number(count[1].replace(/,/g, '')) >= ${UNITS};
  };
  const seen = new MutationObserver(() => {
    if (window.__panelBench.rowsAt !== null) return;
    if (ready()) {
      document.body.getBoundingClientRect();
      window.__panelBench.rowsAt = performance.now();
      window.__panelBench.rowsInDom = document.querySelectorAll('li[data-entry-id]').length;
      seen.disconnect();
      console.debug(ROWS_SHOWN);
    }
  });
  document.addEventListener('DOMContentLoaded', () =>
    seen.observe(document.body, { childList: true, subtree: true }),
  );
})();`;

describe('panel with 1,000 entries', () => {
  let e2e: E2e;

  beforeAll(async () => {
    const units: Record<string, string> = {};
    for (let i = 0; i < UNITS; i++) units[name(i)] = sleeperUnit(`Panel bench unit ${i}`);
    e2e = await startE2e({
      label: 'panel-bench',
      units,
      async prepare(sb) {
        const r = await sb.systemctl(
          'start',
          ...Array.from({ length: RUNNING }, (_, i) => name(i)),
        );
        expect(r.code).toBe(0);
      },
    });
  }, 280_000);

  afterAll(async () => {
    await save();
    await e2e?.stop();
  });

  it('renders 1,000 rows, and follows outside stops and starts', async () => {
    /** Per round: when each phase ended, in ms from navigation start (see PHASES). */
    const rounds: Array<Record<Phase, number>> = [];
    let rowsInDom = 0;
    let recorded: RecordedPage | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      await recorded?.page.close();
      recorded = await e2e.browser.newPage();
      await recorded.page.addInitScript(INSTRUMENT);
      // DD_BENCH_PROFILE=DIR: a CPU profile of the page's last first render there (CDP).
      const cdp =
        process.env.DD_BENCH_PROFILE && round === ROUNDS - 1
          ? await recorded.page.context().newCDPSession(recorded.page)
          : null;
      if (cdp !== null) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      // The page says when its rows show: asking it (page.evaluate every 25 ms) ran on the
      // renderer's main thread, beside the render being timed.
      const shown = recorded.page.waitForEvent('console', {
        predicate: (message) => message.text() === ROWS_SHOWN,
        timeout: 60_000,
      });
      await recorded.page.goto(`${e2e.server.url}/panel.html`);
      await shown;
      const b = await recorded.page.evaluate<Record<Phase, number | null> & { rowsInDom: number }>(
        `(() => {
          const b = window.__panelBench;
          const nav = performance.getEntriesByType('navigation')[0];
          const snap = performance.getEntriesByType('resource').find((r) => r.name.includes('snapshot%3Aget'));
          return { html: nav.responseEnd, preload: b.preloadAt, firstCall: b.firstCallAt,
            snapshotRequested: snap?.startTime ?? null, snapshotReceived: snap?.responseEnd ?? null,
            snapshotParsed: b.snapshotAt, domContentLoaded: b.domAt, rows: b.rowsAt, rowsInDom: b.rowsInDom };
        })()`,
      );
      if (cdp !== null) {
        const { profile } = await cdp.send('Profiler.stop');
        await writeFile(
          join(process.env.DD_BENCH_PROFILE!, 'panel-first-render.cpuprofile'),
          JSON.stringify(profile),
        );
      }
      for (const phase of PHASES) expect(b[phase], phase).not.toBeNull();
      rounds.push(b as Record<Phase, number>);
      rowsInDom = b.rowsInDom;
    }
    const median = (values: number[]) => percentile(values, 50);
    const at = (phase: Phase) => median(rounds.map((r) => r[phase]));
    const page = recorded!.page;
    const total = await page.locator('footer').getByRole('status').first().textContent();
    const rows = Number(/([\d,]+) units/.exec(total ?? '')?.[1]?.replace(/,/g, '') ?? NaN);
    expect(rows).toBeGreaterThanOrEqual(UNITS);
    const firstRenders = rounds.map((r) => r.rows);
    const fromScripts = rounds.map((r) => r.rows - r.firstCall);
    const whole = median(firstRenders);
    report(
      `panel first render (navigation start -> list of ${rows} entries laid out, ${rowsInDom} rows in the DOM), ` +
        `median of ${ROUNDS}: ${whole.toFixed(0)} ms; target < 100 ms, judged on this whole span: ` +
        `${whole < 100 ? 'met' : 'MISSED'}. From the page's scripts running (its first call to main) to ` +
        `the rows: ${median(fromScripts).toFixed(0)} ms. Phases, medians in ms from navigation start: ` +
        PHASES.map((p) => `${p} ${at(p).toFixed(0)}`).join(', ') +
        `; load average ${loadavg()[0]!.toFixed(2)}`,
      'firstRenderMs',
      firstRenders,
    );
    results.firstRenderFromScriptsMs = fromScripts;
    results.firstRenderPhases = Object.fromEntries(PHASES.map((p) => [p, at(p)]));

    await page.evaluate(
      'window.__panelBench.times.length = 0; window.__panelBench.latency.length = 0',
    );
    // Nothing polls the page while it is timed (Playwright's role queries run on its main
    // thread): each toggle waits for the core's snapshot, then for the page to have handled it.
    const stateOf = () => e2e.monitor.snapshot().entries.find((e) => e.name === name(0))?.state;
    for (let i = 0; i < TOGGLES; i++) {
      const running = i % 2 === 1;
      const seen = await page.evaluate<number>('window.__panelBench.times.length');
      const r = await e2e.sb.systemctl(running ? 'start' : 'stop', name(0));
      expect(r.code).toBe(0);
      await waitFor(() => stateOf() === (running ? 'running' : 'stopped'), 'the core to follow');
      for (let tries = 0; tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        if ((await page.evaluate<number>('window.__panelBench.times.length')) > seen) break;
      }
    }
    const row = page.getByRole('switch', { name: name(0), exact: true });
    expect(await row.getAttribute('aria-checked')).toBe('true');
    const times = await page.evaluate<number[]>('window.__panelBench.times');
    const latency = await page.evaluate<number[]>('window.__panelBench.latency');
    expect(times.length).toBeGreaterThanOrEqual(TOGGLES);
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    report(
      `panel update (snapshot event -> DOM laid out) with ${rows} rows over ${times.length} events: ` +
        `p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms ` +
        `(target p95 < 16 ms: ${p95 < 16 ? 'MET' : 'MISSED'})`,
      'update',
      { p50, p95, max: Math.max(...times), count: times.length },
    );
    report(
      `panel update latency (snapshot event -> next task) p50 ${percentile(latency, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(latency, 95).toFixed(1)} ms; load average ${loadavg()[0]!.toFixed(2)}`,
      'latency',
      { p50: percentile(latency, 50), p95: percentile(latency, 95), load: loadavg()[0] },
    );
    expect(await recorded!.problems()).toEqual([]);
  }, 280_000);
});
