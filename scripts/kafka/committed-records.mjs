// Reads a topic the way a correct read_committed consumer does, with Kafka's
// own Java client (scripts/kafka/CommittedRecords.java). @platformatic/kafka's
// read_committed filter lets some records of aborted transactions through, so
// a check of exactly-once output made with it could pass on duplicates.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureKafkaJars } from './broker.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE = join(ROOT, 'scripts/kafka/CommittedRecords.java');

/**
 * One record as read: its partition and offset, key and value as text.
 * @typedef {{ partition: number, offset: number, key: string, value: string }} CommittedRecord
 */

/** @type {Promise<{ classes: string, libs: string }> | undefined} */
let compiled;

/**
 * Compiles the reader once per source version into the Kafka jar cache
 * (`.cache/kafka/<version>/read-committed-<hash>`), beside the client jars it needs.
 */
/** @returns {Promise<{ classes: string, libs: string }>} */
function compile() {
  compiled ??= (async () => {
    const { libs } = await ensureKafkaJars();
    const source = await readFile(SOURCE);
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
    const classes = join(libs, '..', `committed-records-${hash}`);
    if (existsSync(join(classes, 'CommittedRecords.class'))) return { classes, libs };
    await mkdir(join(libs, '..'), { recursive: true });
    // Compile beside it and rename, so two runs at once never see half a folder.
    const partial = await mkdtemp(`${classes}-`);
    const javac = spawnSync('javac', ['-cp', join(libs, '*'), '-d', partial, SOURCE], {
      encoding: 'utf8',
    });
    if (javac.error || javac.status !== 0) {
      await rm(partial, { recursive: true, force: true });
      throw new Error(`javac could not compile ${SOURCE}: ${javac.error?.message ?? javac.stderr}`);
    }
    try {
      await rename(partial, classes);
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(join(classes, 'CommittedRecords.class'))) throw error;
    }
    return { classes, libs };
  })();
  return compiled;
}

/**
 * Every committed record of `topic`, read from the start until at least
 * `expected` have come and none more for `quietMs` (or `timeoutMs` passed).
 */
/**
 * @param {string} bootstrap
 * @param {string} topic
 * @param {{ expected: number, quietMs: number, timeoutMs: number }} options
 * @returns {Promise<CommittedRecord[]>}
 */
export async function committedRecords(bootstrap, topic, options) {
  const { classes, libs } = await compile();
  const args = [
    '-cp',
    `${classes}:${join(libs, '*')}`,
    // No log configuration: the client's warnings go nowhere rather than to the test output.
    '-Dlog4j2.level=OFF',
    'CommittedRecords',
    bootstrap,
    topic,
    String(options.expected),
    String(options.quietMs),
    String(options.timeoutMs),
  ];
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  /** @type {Buffer[]} */
  const stdout = [];
  let stderr = '';
  child.stdout.on('data', (chunk) => stdout.push(chunk));
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const code = await new Promise((done) => child.on('close', done));
  if (code !== 0) throw new Error(`the read_committed reader of ${topic} failed:\n${stderr}`);
  /** @type {CommittedRecord[]} */
  const records = [];
  for (const line of Buffer.concat(stdout).toString('utf8').split('\n')) {
    if (line === '') continue;
    const [partition, offset, key, ...value] = line.split('\t');
    records.push({
      partition: Number(partition),
      offset: Number(offset),
      key: key ?? '',
      value: value.join('\t'),
    });
  }
  return records;
}
