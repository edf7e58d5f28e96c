import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from './testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

interface Schema {
  type?: string;
  $ref?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  items?: Schema;
}
interface Operation {
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

/** Why a schema says nothing of what comes back, or undefined when it does. */
function vagueness(schema: Schema): string | undefined {
  // A $ref points at a named component; null comes out as `{type: 'object', enum: [null]}`.
  if (schema.$ref || schema.enum) return undefined;
  if (schema.anyOf) return schema.anyOf.map(vagueness).find((v) => v !== undefined);
  if (schema.type === 'array')
    return schema.items ? vagueness(schema.items) : 'an array of anything';
  if (schema.type === 'object') return schema.properties ? undefined : 'an object of anything';
  return schema.type ? undefined : 'anything';
}

describe('the OpenAPI description', () => {
  it('says concretely what every route answers when it succeeds', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json', headers: t.auth });
    const spec = res.json() as { paths: Record<string, Record<string, Operation>> };
    const vague: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`;
        const answers = Object.entries(operation.responses).filter(([status]) =>
          /^[123]/.test(status),
        );
        // Fastify names an answer 'Default Response' when the route declared none.
        const undeclared = ([, r]: [string, Operation['responses'][string]]) =>
          !r.content && r.description === 'Default Response';
        if (answers.length === 0 || answers.some(undeclared)) {
          vague.push(`${route}: no declared answer`);
        }
        for (const [status, answer] of answers) {
          for (const [type, { schema }] of Object.entries(answer.content ?? {})) {
            const why = vagueness(schema);
            if (why) vague.push(`${route} ${status} ${type}: ${why}`);
          }
        }
      }
    }
    expect(Object.keys(spec.paths).length).toBeGreaterThan(20);
    expect(vague).toEqual([]);
  });
});
