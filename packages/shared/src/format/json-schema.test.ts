import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { pipelineJsonSchema } from './json-schema.js';

const root = new URL('../../../../', import.meta.url);
const examplesDir = new URL('examples/', root);

describe('the published JSON Schema of the format', () => {
  it('is the one generated from the declarations (run `npm run docs` after a change)', () => {
    const published = readFileSync(new URL('docs/pipeline.schema.json', root), 'utf8');
    expect(published).toBe(`${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`);
  });

  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addVocabulary([
    'x-sluice-widget',
    'x-sluice-port',
    'x-sluice-unbounded',
    'x-sluice-shown-when',
  ]);
  const validate = ajv.compile(pipelineJsonSchema());

  it.each(readdirSync(examplesDir).filter((f) => f.endsWith('.json')))(
    'accepts the example %s',
    (file) => {
      const ok = validate(JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  it("checks a node's config against its kind", () => {
    const doc = {
      format: 'sluice.pipeline/v1',
      name: 'x',
      nodes: [{ id: 'w', kind: 'window.aggregate', config: { window: { type: 'tumbling' } } }],
      edges: [],
    };
    expect(validate(doc)).toBe(false);
  });
});
