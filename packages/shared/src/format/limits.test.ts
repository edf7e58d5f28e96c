import { describe, expect, it } from 'vitest';
import { exportPipeline } from './canonical.js';
import {
  jsonTextPastDepth,
  PIPELINE_LIMITS,
  pathPastDepth,
  pipelineLimitProblem,
} from './limits.js';
import type { Pipeline } from './pipeline.js';
import { readPipeline, readPipelineValue } from './read.js';

/** `depth` levels of objects (the outermost is level 1) around a 1. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

describe('pipeline limits', () => {
  it('names the node and connection limits', () => {
    const nodes = Array.from({ length: PIPELINE_LIMITS.nodes + 1 }, (_, i) => ({ id: `n${i}` }));
    expect(pipelineLimitProblem({ nodes })).toMatchObject({
      code: 'format.too-large',
      message: expect.stringMatching(/2001 nodes; Sluice takes at most 2000 nodes/),
      path: 'nodes',
    });
    const edges = Array.from({ length: PIPELINE_LIMITS.edges + 1 }, () => ({}));
    expect(pipelineLimitProblem({ nodes: [], edges })?.message).toMatch(/10001 connections/);
    expect(pipelineLimitProblem({ nodes: nodes.slice(1), edges: edges.slice(1) })).toBeUndefined();
  });

  it('finds the first value past the depth limit, with its path, at any depth', () => {
    expect(pathPastDepth(nested(64), 64)).toBeUndefined();
    expect(pathPastDepth(nested(65), 64)).toBe(`${'x.'.repeat(63)}x`);
    expect(pathPastDepth({ a: [1, [2, [3]]] }, 3)).toBe('a[1][1]');
    // Nothing recursive: a million levels cost a loop, not the stack.
    expect(pathPastDepth(nested(1_000_000), 64)).toMatch(/^x\./);
    expect(pipelineLimitProblem({ nodes: [{ config: nested(70) }] })).toMatchObject({
      code: 'format.too-deep',
      path: `nodes[0].config${'.x'.repeat(61)}`,
    });
  });

  it('reads nesting depth from JSON text, ignoring brackets inside strings', () => {
    expect(jsonTextPastDepth('[[["[[[[[["]]]', 3)).toBeUndefined();
    expect(jsonTextPastDepth('{"a":\n  [[1]]}', 2)).toEqual({ line: 2, column: 4 });
    expect(jsonTextPastDepth('["\\"[[[[", [[[]]]]', 3)).toEqual({ line: 1, column: 14 });
    expect(jsonTextPastDepth(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 64)).toEqual({
      line: 1,
      column: 65,
    });
  });

  it('refuses too deep a document when reading it, before anything recursive runs', () => {
    const text = `{"format":"sluice.pipeline/v1","name":"x","nodes":[{"id":"a","kind":"sink.preview","config":{"v":${'['.repeat(20_000)}${']'.repeat(20_000)}}}],"edges":[]}`;
    expect(readPipeline(text).diagnostics).toEqual([
      expect.objectContaining({
        code: 'format.too-deep',
        message: expect.stringMatching(/line 1, column \d+/),
      }),
    ]);
    const value = {
      format: 'sluice.pipeline/v1',
      name: 'x',
      nodes: [{ id: 'a', kind: 'sink.preview', config: { v: nested(20_000) } }],
      edges: [],
    };
    const read = readPipelineValue(value);
    expect(read.pipeline).toBeUndefined();
    expect(read.diagnostics.map((d) => d.code)).toEqual(['format.too-deep']);
  });

  it('makes the canonical export refuse too deep a document in words instead of overflowing the stack', () => {
    const pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'x',
      nodes: [{ id: 'a', kind: 'sink.preview', config: { v: nested(10_000) } }],
      edges: [],
    } as Pipeline;
    expect(() => exportPipeline(pipeline)).toThrow(/nested more than 64 levels deep/);
  });
});
