import { describe, expect, it } from 'vitest';
import { type Migration, migratePipeline } from './migrate.js';
import { isValidRead, readPipeline } from './read.js';

const minimal = {
  format: 'sluice.pipeline/v1',
  name: 'Minimal',
  nodes: [
    {
      id: 'gen',
      kind: 'source.datagen',
      config: { fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence' } }], count: 10 },
    },
    { id: 'out', kind: 'sink.blackhole', config: {} },
  ],
  edges: [{ id: 'e1', source: 'gen', target: 'out' }],
};

describe('readPipeline', () => {
  it('reads a valid pipeline', () => {
    const result = readPipeline(JSON.stringify(minimal));
    expect(result.diagnostics).toEqual([]);
    expect(isValidRead(result)).toBe(true);
    expect(result.pipeline?.name).toBe('Minimal');
  });

  it('says where JSON is broken', () => {
    const result = readPipeline('{\n  "format": "sluice.pipeline/v1",\n  "name": }');
    expect(result.pipeline).toBeUndefined();
    expect(result.diagnostics[0]?.code).toBe('json.syntax');
    expect(result.diagnostics[0]?.message).toMatch(/line 3, column \d+/);
  });

  it('refuses an unknown format instead of guessing', () => {
    const result = readPipeline(JSON.stringify({ ...minimal, format: 'nodered.flow' }));
    expect(result.pipeline).toBeUndefined();
    expect(result.diagnostics[0]?.code).toBe('format.unknown');
  });

  it('refuses prototype keys before anything else', () => {
    const result = readPipeline('{"format":"sluice.pipeline/v1","constructor":{"prototype":{}}}');
    expect(result.pipeline).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'format.reserved-key', path: 'constructor' }),
    ]);
  });

  it('keeps a draft with graph errors, reporting them', () => {
    const draft = { ...minimal, edges: [] };
    const result = readPipeline(JSON.stringify(draft));
    expect(result.pipeline).toBeDefined();
    expect(isValidRead(result)).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toContain('node.input-missing');
  });
});

describe('migratePipeline', () => {
  const steps: Migration[] = [
    {
      name: 'v0-rename-steps-to-nodes',
      from: 'sluice.pipeline/v0',
      to: 'sluice.pipeline/v0.5',
      migrate: ({ steps: nodes, ...rest }) => ({ ...rest, nodes }),
    },
    {
      name: 'v0.5-add-edges',
      from: 'sluice.pipeline/v0.5',
      to: 'sluice.pipeline/v1',
      migrate: (doc) => ({ ...doc, edges: doc.edges ?? [] }),
    },
  ];

  it('applies each named step in order up to the current format', () => {
    const { document, applied } = migratePipeline(
      { format: 'sluice.pipeline/v0', name: 'old', steps: [] },
      steps,
    );
    expect(applied).toEqual(['v0-rename-steps-to-nodes', 'v0.5-add-edges']);
    expect(document).toEqual({ format: 'sluice.pipeline/v1', name: 'old', nodes: [], edges: [] });
  });

  it('leaves a current document alone', () => {
    expect(migratePipeline(minimal, steps)).toEqual({ document: minimal, applied: [] });
  });
});
