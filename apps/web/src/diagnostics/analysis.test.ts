import type { Pipeline } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { analyze, withFindings } from './analysis.js';

const doc = (target?: string): Pipeline => ({
  format: 'sluice.pipeline/v1',
  name: 'p',
  ...(target ? { settings: { target } } : {}),
  nodes: [
    {
      id: 'gen',
      kind: 'source.datagen',
      config: { fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence', start: 1 } }] },
    },
    { id: 'show', kind: 'sink.preview', config: {} },
  ],
  edges: [{ id: 'e', source: 'gen', target: 'show' }],
});

describe('the live analysis, by where the pipeline runs', () => {
  it('on Flink, adds what the compiler says, counted on the nodes', () => {
    const analysis = analyze(doc('flink:local'));
    expect(
      analysis.diagnostics.filter((d) => d.code === 'flink.refused').map((d) => d.nodeId),
    ).toEqual(['gen', 'show']);
    expect(analysis.byNode.get('show')).toEqual({ errors: 1, warnings: 0 });
  });

  it('embedded, says nothing of Flink', () => {
    expect(analyze(doc()).diagnostics.filter((d) => d.code.startsWith('flink.'))).toEqual([]);
    expect(analyze(doc('embedded')).byNode.get('show')).toBeUndefined();
  });
});

describe('the server’s findings on the analysis', () => {
  it('are added once: what the page found itself is not counted twice', () => {
    const analysis = analyze(doc('flink:local'));
    const again = analysis.diagnostics.filter((d) => d.nodeId === 'show');
    const other = {
      severity: 'error' as const,
      code: 'file.missing',
      message: 'x',
      nodeId: 'show',
    };
    const merged = withFindings(analysis, [...again, other]);
    expect(merged.diagnostics.length).toBe(analysis.diagnostics.length + 1);
    expect(merged.byNode.get('show')).toEqual({ errors: 2, warnings: 0 });
  });
});
