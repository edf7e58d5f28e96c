// Thousands of random and mutated pipeline documents, sent to every route that
// reads one: never a 5xx, always a well-formed answer, and always quickly.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { OPERATORS } from '@sluice/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';
import { chain, deep, nested } from './documents.js';
import { abuseScale } from './scale.js';

/** Slower than this for one request is a finding: the worst valid document takes about 40 ms. */
const SLOWEST_MS = 1000;
const EXAMPLES_DIR = new URL('../../../../examples/', import.meta.url);
const EXAMPLES: unknown[] = readdirSync(EXAMPLES_DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, EXAMPLES_DIR), 'utf8')));

let t: TestApp;
let storedId: string;
beforeAll(async () => {
  t = await testApp();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/pipelines',
    headers: t.auth,
    payload: EXAMPLES[0] as object,
  });
  storedId = res.json().id;
});
afterAll(() => t.close());

const kinds = OPERATORS.map((o) => o.kind);
const ports = ['in', 'out', 'left', 'right', 'late', 'errors', 'nope'];
/** Strings an attacker or a careless hand would type. */
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    ' ',
    '\u0000',
    '💥',
    'e1',
  ),
  fc.string({ minLength: 70, maxLength: 300 }),
);
const id = fc.oneof(fc.constantFrom('a', 'b', 'c', 'd', '__proto__', 'constructor'), nasty);

/** A graph of catalog kinds with their defaults, some configs and ids replaced by junk. */
const randomGraph = fc.record({
  format: fc.oneof(fc.constant('sluice.pipeline/v1'), fc.constant('sluice.pipeline/v9'), nasty),
  name: nasty,
  nodes: fc.array(
    fc.record({
      id,
      kind: fc.oneof(fc.constantFrom(...kinds), nasty),
      config: fc.oneof(
        fc.constantFrom(...OPERATORS.map((o) => o.defaults as unknown)),
        fc.dictionary(nasty, fc.jsonValue({ maxDepth: 3 })),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    }),
    { maxLength: 12 },
  ),
  edges: fc.array(
    fc.record(
      {
        id,
        source: id,
        target: id,
        sourcePort: fc.constantFrom(...ports),
        targetPort: fc.constantFrom(...ports),
      },
      { requiredKeys: ['id', 'source', 'target'] },
    ),
    { maxLength: 20 },
  ),
});

/** An example with one value somewhere inside replaced, removed or doubled. */
const mutatedExample = fc
  .tuple(
    fc.constantFrom(...EXAMPLES),
    fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.nat(2),
  )
  .map(([example, steps, replacement, how]) =>
    mutate(structuredClone(example), steps, replacement, how),
  );

const document = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 4, arbitrary: randomGraph },
  { weight: 5, arbitrary: mutatedExample },
  // Past the limits, now and then: too deep for the canonical form, too many nodes.
  {
    weight: 1,
    arbitrary: fc.integer({ min: 60, max: 1500 }).map((depth) => {
      const doc = deep(40);
      (doc.nodes[1]!.config as Record<string, unknown>).extra = nested(depth);
      return doc;
    }),
  },
  { weight: 1, arbitrary: fc.integer({ min: 2001, max: 2100 }).map((n) => chain(n)) },
);

/** Whether a document is past the 2000-node or 64-level limit (the test's own reading, not the server's). */
function pastLimits(doc: unknown): boolean {
  const depth = (value: unknown): number =>
    value === null || typeof value !== 'object'
      ? 0
      : 1 + Math.max(0, ...Object.values(value).map(depth));
  const nodes = (doc as { nodes?: unknown } | null)?.nodes;
  return depth(doc) > 64 || (Array.isArray(nodes) && nodes.length > 2000);
}

/** Walks `steps` (indices into the keys at each level) and changes what it reaches. */
function mutate(doc: unknown, steps: number[], replacement: unknown, how: number): unknown {
  let parent: Record<string, unknown> | unknown[] | undefined;
  let key: string | number | undefined;
  let here = doc;
  for (const step of steps) {
    if (here === null || typeof here !== 'object') break;
    const keys: (string | number)[] = Array.isArray(here)
      ? here.map((_, i) => i)
      : Object.keys(here);
    if (keys.length === 0) break;
    parent = here as Record<string, unknown>;
    key = keys[step % keys.length]!;
    here = (here as Record<string | number, unknown>)[key];
  }
  if (!parent || key === undefined) return replacement;
  const target = parent as Record<string | number, unknown>;
  if (how === 0) target[key] = replacement;
  else if (how === 1 && Array.isArray(parent)) parent.push(structuredClone(here));
  else delete target[key];
  return doc;
}

describe('fuzzed pipeline documents', () => {
  const runs = abuseScale(250, 3000);

  it(`answers ${runs} random and mutated documents on validate, create, import and update: no 5xx, past the limits refused`, async () => {
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(document, async (doc) => {
        for (const [method, url, payload] of [
          ['POST', '/api/pipelines/validate', doc],
          ['POST', '/api/pipelines', doc],
          ['POST', '/api/pipelines/import', doc],
          ['PUT', `/api/pipelines/${storedId}`, { pipeline: doc }],
        ] as const) {
          const started = performance.now();
          const res = await t.app.inject({
            method,
            url,
            headers: { ...t.auth, 'content-type': 'application/json' },
            payload: JSON.stringify(payload) ?? 'null',
          });
          const ms = performance.now() - started;
          slowest = Math.max(slowest, ms);
          const where = `${method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          expect(ms, where).toBeLessThan(SLOWEST_MS);
          const body = res.json();
          if (pastLimits(doc)) expect([400, 413], where).toContain(res.statusCode);
          if (res.statusCode >= 400) {
            expect(body.error, where).toEqual(
              expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
            );
          } else if (url.endsWith('validate')) {
            expect(body, where).toEqual({
              valid: expect.any(Boolean),
              diagnostics: expect.any(Array),
            });
          } else {
            expect(body.pipeline, where).toBeTypeOf('object');
          }
        }
      }),
      { numRuns: runs, seed: abuseScale(42, Date.now()), endOnFailure: true },
    );
    console.log(`fuzz: ${runs} documents × 4 routes; slowest answer ${slowest.toFixed(0)} ms`);
  });
});
