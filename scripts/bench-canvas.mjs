// How the canvas keeps up with a 200-step pipeline, in Debian's headless
// Chromium with the e2e tests' launch flags, against a server of its own.
//
//   npm run bench:canvas [-- --json] [--out FILE] [--baseline DIR] [--rounds N]
//        [--rows 40] [--seconds 5] [--width 1440 --height 900] [--trace DIR] [--live-only]
//
// Imports a generated pipeline (scripts/bench-canvas/pipeline.mjs), opens it
// and deploys it from the canvas, then measures frames (requestAnimationFrame
// deltas, long tasks from PerformanceObserver) over 5 s idle and 5 s of mouse
// drags on the pane, live; the same after Stop, in edit mode; and key-to-frame
// in a filter's expression editor, in that pipeline and in the 4-step example.
//
// --baseline DIR runs a second built checkout (its own server) the same way,
// round by round alternately with this one (A B B A …), so both sides see the
// same load on a shared machine. --rounds N (default 1) rounds per side.
// --trace DIR writes a Chromium trace of each measurement (for DevTools'
// Performance panel); --live-only stops after the live phases.

import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { canvasPipeline } from './bench-canvas/pipeline.mjs';
import {
  canvasFacts,
  emptyPanePoint,
  installFrameProbe,
  installKeyProbe,
} from './bench-canvas/probes.mjs';
import { startServer } from './bench-canvas/server.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    baseline: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    rows: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '5' },
    width: { type: 'string', default: '1440' },
    height: { type: 'string', default: '900' },
    trace: { type: 'string' },
    'live-only': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);
const ROWS = Number(values.rows);
const MEASURE_MS = Number(values.seconds) * 1000;
const VIEWPORT = { width: Number(values.width), height: Number(values.height) };
/** Between keys: longer than the designer's 150 ms pause before it analyses again, so each key's analysis runs too. */
const KEY_INTERVAL_MS = 200;
const SETTLE_MS = 3000;
const EXAMPLE = 'Orders per category every 2 seconds';
/** 30 keys, each leaving an expression the analysis reads (valid at the end, so the pipeline still deploys). */
const TYPED = ' AND order_id > 0 OR amount>99';
const say = (line) => process.stderr.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The e2e tests' browser and flags, read from their config rather than copied.
const e2e = (await import(`${ROOT}e2e/playwright.config.ts`)).default;
const launchOptions = e2e.projects[0].use.launchOptions;

function stats(values) {
  if (values.length === 0) return { n: 0, mean: null, p95: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const round = (v) => Math.round(v * 10) / 10;
  return { n: values.length, mean: round(mean), p95: round(at(0.95)), max: round(sorted.at(-1)) };
}

function frameFigures({ frames, longTasks }) {
  return {
    ...stats(frames),
    longTasks: longTasks.length,
    longTaskMs: Math.round(longTasks.reduce((s, v) => s + v, 0)),
  };
}

let tracing = null;

async function measure(page, during) {
  if (values.trace && tracing) {
    await page
      .context()
      .browser()
      .startTracing(page, {
        path: resolve(values.trace, `${tracing}.json`),
        screenshots: false,
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'v8.execute',
          'disabled-by-default-v8.cpu_profiler',
        ],
      });
  }
  await page.evaluate(() => window.__bench.start());
  await during();
  const figures = frameFigures(await page.evaluate(() => window.__bench.stop()));
  if (values.trace && tracing) await page.context().browser().stopTracing();
  return figures;
}

/** With --trace DIR, the next measurement is traced to DIR/<side>-<round>-<name>.json. */
const traceAs = (name) => {
  tracing = name;
};

const idle = (page) => measure(page, () => page.waitForTimeout(MEASURE_MS));

/** One mouse drag on the empty pane, back and forth, for the measured time. */
async function pan(page) {
  const start = await page.evaluate(emptyPanePoint);
  if (!start) throw new Error('No empty point of the pane to drag from.');
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const figures = await measure(page, async () => {
    const began = Date.now();
    let step = 0;
    while (Date.now() - began < MEASURE_MS) {
      // A triangle wave, 240 px wide and 120 high, 8 px a move.
      const phase = step % 60;
      const offset = phase < 30 ? phase : 60 - phase;
      await page.mouse.move(start.x - offset * 8, start.y - offset * 4);
      step++;
    }
  });
  await page.mouse.move(start.x, start.y);
  await page.mouse.up();
  return figures;
}

async function typeInFilter(page, nodeId) {
  await page.getByTestId(`node-${nodeId}`).locator('.op-label').click();
  const editor = page.locator('[data-testid="cfg.where"] .cm-content');
  await editor.click();
  await page.keyboard.press('End');
  const before = await editor.textContent();
  await page.evaluate(installFrameProbe);
  await page.evaluate(installKeyProbe, '[data-testid="cfg.where"]');
  const frames = await measure(page, async () => {
    for (const key of TYPED) {
      await page.keyboard.type(key);
      await sleep(KEY_INTERVAL_MS);
    }
    await sleep(500);
  });
  const latencies = await page.evaluate(() => window.__keys.stop());
  const text = await editor.textContent();
  if (text !== `${before}${TYPED}`) {
    throw new Error(`The expression editor holds "${text}", not what was typed.`);
  }
  if (latencies.length !== TYPED.length) {
    throw new Error(`${latencies.length} of ${TYPED.length} keys were seen to change the editor.`);
  }
  return { keyToFrame: stats(latencies), frames };
}

async function openPipeline(page, name, steps) {
  await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Pipelines' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .first()
    .click();
  await page.waitForFunction(
    ({ name, steps }) =>
      document.querySelector('input[aria-label="Pipeline name"]')?.value === name &&
      document.querySelectorAll('.react-flow__node').length > 0 &&
      document.querySelectorAll('.react-flow__node').length <= steps,
    { name, steps },
  );
  await page.waitForTimeout(500);
}

async function round(browser, server, pipelineName, tag) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  try {
    await page.goto(await server.newLoginURL());
    await page.getByRole('button', { name: 'Deploy' }).waitFor();
    await openPipeline(page, pipelineName, ROWS * 5);
    await page.evaluate(installFrameProbe);

    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByText('Live — job running').waitFor();
    await page
      .getByTestId('live-orders_1')
      .getByText(/out [1-9]/)
      .waitFor({ timeout: 15_000 });
    await page.waitForTimeout(SETTLE_MS);
    const liveView = await page.evaluate(canvasFacts);
    traceAs(`${tag}-live-idle`);
    const liveIdle = await idle(page);
    traceAs(`${tag}-live-pan`);
    const livePan = await pan(page);
    // Fit (Shift+F): the whole pipeline where the canvas can show it so (all 200 steps drawn).
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Shift+F');
    await page.waitForTimeout(1500);
    const fittedView = await page.evaluate(canvasFacts);
    traceAs(`${tag}-live-fitted`);
    const liveFitted = await idle(page);
    if (values['live-only']) return { liveView, liveIdle, livePan, fittedView, liveFitted };

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByText('Job stopped').waitFor();
    await page.getByRole('button', { name: 'Back to editing' }).click();
    await page.getByRole('button', { name: 'Deploy' }).waitFor();
    await page.waitForTimeout(SETTLE_MS);
    const editView = await page.evaluate(canvasFacts);
    traceAs(`${tag}-edit-idle`);
    const editIdle = await idle(page);
    traceAs(`${tag}-edit-pan`);
    const editPan = await pan(page);
    traceAs(`${tag}-typing`);
    const typing = await typeInFilter(page, 'big_1');
    traceAs(`${tag}-typing-small`);
    await openPipeline(page, EXAMPLE, 4);
    const typingSmall = await typeInFilter(page, 'big_orders');
    return {
      liveView,
      liveIdle,
      livePan,
      fittedView,
      liveFitted,
      editView,
      editIdle,
      editPan,
      typing,
      typingSmall,
    };
  } finally {
    await context.close();
  }
}

function median(values) {
  const v = values.filter((x) => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v.length % 2
    ? v[(v.length - 1) / 2]
    : Math.round(((v[v.length / 2 - 1] + v[v.length / 2]) / 2) * 10) / 10;
}

const ROWS_OF_TABLE = [
  ['Live, idle: frame', (r) => r.liveIdle],
  ['Live, panning: frame', (r) => r.livePan],
  ['Live, idle, after Fit: frame', (r) => r.liveFitted],
  ['Edit, idle: frame', (r) => r.editIdle],
  ['Edit, panning: frame', (r) => r.editPan],
  [`Key to frame, ${ROWS * 5} steps`, (r) => r.typing?.keyToFrame],
  ['Key to frame, 4 steps', (r) => r.typingSmall?.keyToFrame],
];

function summary(runs) {
  return Object.fromEntries(
    ROWS_OF_TABLE.map(([label, pick]) => [
      label,
      {
        mean: median(runs.map((r) => pick(r)?.mean ?? null)),
        p95: median(runs.map((r) => pick(r)?.p95 ?? null)),
        max: median(runs.map((r) => pick(r)?.max ?? null)),
        longTasks: median(runs.map((r) => pick(r)?.longTasks ?? null)),
      },
    ]),
  );
}

function table(sides) {
  const names = Object.keys(sides);
  const head = [
    'What (ms)',
    ...names.flatMap((n) => [`${n} mean`, `${n} p95`, `${n} max`, `${n} long tasks`]),
  ];
  const rows = ROWS_OF_TABLE.map(([label]) => [
    label,
    ...names.flatMap((n) => {
      const s = sides[n][label];
      return [s.mean, s.p95, s.max, s.longTasks ?? '–'].map((v) => (v === null ? '–' : String(v)));
    }),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(head),
    `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

const began = Date.now();
const sides = [{ name: 'this', root: ROOT }];
if (values.baseline) sides.unshift({ name: 'baseline', root: resolve(values.baseline) });
const load = [loadavg()];
const browser = await chromium.launch({ headless: true, ...launchOptions });
const chromiumVersion = browser.version();
const servers = new Map();
const runs = [];
try {
  const pipeline = canvasPipeline(ROWS);
  for (const side of sides) {
    const server = await startServer(side.root);
    servers.set(side.name, server);
    const imported = await server.call('POST', '/api/pipelines/import', pipeline);
    const list = await server.call('GET', '/api/pipelines');
    const example = list.find((p) => p.name === EXAMPLE);
    if (!example) throw new Error(`The server has no "${EXAMPLE}" example.`);
    const exampleDoc = (await server.call('GET', `/api/pipelines/${example.id}`)).pipeline;
    // Each round types into both filters: it starts from the pipelines as they were imported.
    server.reset = async () => {
      await server.call('PUT', `/api/pipelines/${imported.id}`, { pipeline });
      await server.call('PUT', `/api/pipelines/${example.id}`, { pipeline: exampleDoc });
    };
  }
  // A B, then B A, …: drift in the machine's load falls on both sides alike.
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      say(`round ${r + 1}, ${side.name} (${side.root}) · load ${loadavg()[0].toFixed(2)}`);
      await servers.get(side.name).reset();
      runs.push({
        side: side.name,
        round: r + 1,
        ...(await round(browser, servers.get(side.name), pipeline.name, `${side.name}-${r + 1}`)),
      });
    }
  }
} finally {
  await browser.close().catch(() => {});
  for (const server of servers.values()) await server.stop();
}
load.push(loadavg());

const bySide = Object.fromEntries(
  sides.map((s) => [s.name, summary(runs.filter((r) => r.side === s.name))]),
);
const result = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    loadAverageBefore: load[0].map((v) => Math.round(v * 100) / 100),
    loadAverageAfter: load[1].map((v) => Math.round(v * 100) / 100),
  },
  chromium: {
    executable: launchOptions.executablePath,
    version: chromiumVersion,
    args: launchOptions.args,
  },
  node: process.version,
  viewport: VIEWPORT,
  pipeline: { steps: ROWS * 5, connections: ROWS * 4, rows: ROWS },
  measuredMs: MEASURE_MS,
  keys: TYPED.length,
  keyIntervalMs: KEY_INTERVAL_MS,
  sides: sides.map((s) => ({ name: s.name, root: s.root })),
  summary: bySide,
  runs,
  seconds: Math.round((Date.now() - began) / 1000),
};
const printed = table(bySide);
if (values.out) writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
if (values.json) {
  say(printed);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  process.stdout.write(`${printed}\n`);
  say(
    `\n${ROWS * 5} steps, Chromium ${chromiumVersion}, ${VIEWPORT.width}×${VIEWPORT.height}; load ${load[0][0].toFixed(2)} → ${load[1][0].toFixed(2)}; ${result.seconds} s`,
  );
  for (const side of sides) {
    const last = runs.findLast((r) => r.side === side.name);
    const facts = (v) =>
      `zoom ${v.zoom}, ${v.inView} steps in view, ${v.drawn} drawn, ${v.overlaps} overlapping`;
    say(`${side.name}: live ${facts(last.liveView)}; after Fit ${facts(last.fittedView)}`);
  }
  say('');
}
