import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../format/pipeline.js';
import { secretsNamed } from './secrets.js';

describe('secretsNamed', () => {
  it('finds the names in fields that hold a secret’s name, and nothing else', () => {
    const pipeline: Pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'p',
      nodes: [
        { id: 'in', kind: 'source.datagen', config: { fields: [] } },
        {
          id: 'db',
          kind: 'sink.postgres',
          config: { table: 'PASSWORD', user: 'PASSWORD', passwordSecret: 'DB_PASSWORD' },
        },
        { id: 'db2', kind: 'sink.postgres', config: {} },
        { id: 'x', kind: 'no.such.kind', config: { passwordSecret: 'NOPE' } },
      ],
      edges: [],
    };
    expect(secretsNamed(pipeline)).toEqual([
      { name: 'DB_PASSWORD', nodeId: 'db', path: 'nodes[1].config.passwordSecret' },
    ]);
  });
});
