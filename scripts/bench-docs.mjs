// Regenerates the tables of docs/benchmarks.md from the JSON the benchmarks
// wrote (docs/bench/*.json: `npm run bench -- … --out FILE`, and the
// side-by-side run's --json), so no figure there is typed by hand. Each table
// sits between two markers naming its file:
//
//   <!-- bench:nexmark-2026-12-03.json -->
//   …generated…
//   <!-- /bench -->
//
//   node scripts/bench-docs.mjs            rewrite the tables
//   node scripts/bench-docs.mjs --check    exit 1 if a table is not what its file gives
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DOC = `${ROOT}docs/benchmarks.md`;
const BENCH = `${ROOT}docs/bench/`;

/** What each Nexmark query does, and the speed issue 9 asked of it (events/s; and of the hand-written loop). */
const NEXMARK = {
  q0: ['pass-through (projection)', 3e6],
  q1: ['`0.908 * price`', 3e6, 0.5],
  q2: ['`MOD(auction, 123) = 0`', 3e6],
  q3: ['auctions ⋈ sellers (regular join)', 5e5],
  q4: ['average closing price per category', 5e5],
  q5: ['hot items (hopping 10 s / 2 s)', 1e6, 0.5],
  q7: ['highest bid per 10 s', 1e6],
  q8: ['new users (window join)', 1e6],
  q9: ['winning bids (join, top 1)', 5e5],
  q11: ['bids per bidder session', 5e5],
  q12: ['bids per bidder per 10 s (proc. time)', 5e5],
  q14: ['price band, time of day, `c` count', 5e5],
  q15: ['bids, bidders, auctions per day', 5e5],
  q16: ['the same per channel', 5e5],
  q17: ['per auction per day', 5e5],
  q18: ['last bid per bidder and auction', 5e5],
  q19: ['10 highest bids per auction', 5e5],
  q20: ['bids ⋈ auctions in category 10', 5e5],
  q21: ['channel id (`REGEXP_EXTRACT`)', 5e5],
  q22: ['URL directories (`SPLIT_INDEX`)', 5e5],
};

/** A Flink run this short (events ÷ its median rate, in seconds) is below what its once-a-second counts can time. */
const SHORTEST_FLINK_S = 2.5;

const spaced = (n) => Math.round(n).toLocaleString('en').replaceAll(',', ' ');
const short = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${Math.round(n / 1e3)} K`);

function machineLine({ machine }, what) {
  const load = machine.loadAverage?.join(' ') ?? '?';
  return `${what}: ${machine.date.slice(0, 10)}, Node ${machine.node}, ${machine.cpus}, ${machine.memoryGiB} GB, load ${load} at the start.`;
}

/** Pads a markdown table's columns (left, or right for `right`), as the formatter does. */
function table(head, rows, right) {
  const widths = head.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right.has(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

function nexmarkTable(doc) {
  const rows = doc.results.map((r) => {
    const [what, target, ratio] = NEXMARK[r.query] ?? ['', 0];
    const met =
      target > 0 &&
      r.eventsPerSecond >= target &&
      (ratio === undefined || r.ratioToHandWritten === undefined || r.ratioToHandWritten >= ratio);
    return [
      r.query,
      what,
      spaced(r.eventsPerSecond),
      r.ratioToHandWritten === undefined
        ? ''
        : `${r.ratioToHandWritten.toFixed(2)} of ${spaced(r.handWrittenEventsPerSecond)}`,
      `${spaced(r.peakHeapMB)} MB`,
      r.loadAverage ? r.loadAverage[0].toFixed(2) : '',
      target
        ? `${target >= 1e6 ? `${target / 1e6} M` : `${target / 1e3} K`}${ratio ? `, ≥ ${ratio}` : ''}`
        : '',
      target ? (met ? 'met' : 'missed') : '',
    ];
  });
  const events = [...new Set(doc.results.map((r) => spaced(r.events)))].join(', ');
  return `${machineLine(doc, 'Measured')} ${events} events per query.\n\n${table(
    ['Query', 'What', 'Events/s', 'vs hand-written loop', 'Peak heap', 'Load', 'Target', ''],
    rows,
    new Set([2, 3, 4, 5, 6]),
  )}`;
}

function flinkTable(doc) {
  const rows = doc.results.map((r) => {
    const tooShort =
      r.flink.median === 0 ||
      r.events / r.flink.median < SHORTEST_FLINK_S ||
      r.flink.runs.some((run) => run < r.flink.median / 10);
    return [
      r.query,
      spaced(r.events),
      r.sluice.runs.map(short).join(', '),
      short(r.sluice.median),
      r.flink.runs.map(short).join(', '),
      short(r.flink.median),
      tooShort ? '(too short)' : r.ratio.toFixed(2),
    ];
  });
  return `${machineLine(doc, `Flink ${doc.machine.flink}, Kafka ${doc.machine.kafka}, ${doc.machine.rounds} rounds`)}\n\n${table(
    ['query', 'events read', 'Sluice (runs)', 'median', 'Flink (runs)', 'median', 'Sluice ÷ Flink'],
    rows,
    new Set([1, 3, 5, 6]),
  )}`;
}

/** `npm run bench:parallel`'s runs: one job as 1 and as N instances on the same messages. */
function parallelTable(doc) {
  const m = doc.machine;
  const rows = doc.results.map((r) => [
    String(r.instances),
    r.runs.map(short).join(', '),
    short(r.median),
    r.speedup === null ? '' : `${r.speedup.toFixed(2)}×`,
    spaced(r.windows),
  ]);
  return `${machineLine(doc, `Kafka ${m.kafka}, ${spaced(m.messages)} messages on ${m.partitions} partitions, ${m.keys} keys`)} The windows written ${doc.sameOutput ? 'are the same rows' : 'DIFFER'} whatever the instances.\n\n${table(
    ['instances', 'records/s (runs)', 'median', 'vs 1 instance', 'windows written'],
    rows,
    new Set([2, 3, 4]),
  )}`;
}

export function generate(text, read = (file) => readFileSync(`${BENCH}${file}`, 'utf8')) {
  return text.replace(
    /<!-- bench:([\w.-]+\.json) -->\n[\s\S]*?<!-- \/bench -->/g,
    (_whole, file) => {
      const doc = JSON.parse(read(file));
      const body = doc.results[0]?.sluice
        ? flinkTable(doc)
        : doc.results[0]?.instances !== undefined
          ? parallelTable(doc)
          : nexmarkTable(doc);
      return `<!-- bench:${file} -->\n${body}\n<!-- /bench -->`;
    },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const text = readFileSync(DOC, 'utf8');
  const next = generate(text);
  if (values.check) {
    if (next !== text) {
      console.error(
        'docs/benchmarks.md is not what docs/bench/*.json give: run `npm run bench:docs` and commit it.',
      );
      process.exit(1);
    }
    console.log('docs/benchmarks.md matches docs/bench/*.json.');
  } else {
    writeFileSync(DOC, next);
    console.log('docs/benchmarks.md regenerated from docs/bench/*.json.');
  }
}
