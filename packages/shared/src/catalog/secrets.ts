// The secrets a pipeline names: config fields whose schema says they hold a
// secret's name (`x-sluice-widget: 'secret'`), never its value. Whoever runs
// the pipeline resolves them (the server from its environment or its secrets
// file) and hands the values to the job alone.
import type { Pipeline } from '../format/pipeline.js';
import { getOperator } from './catalog.js';

export interface NamedSecret {
  readonly name: string;
  readonly nodeId: string;
  /** Where the name is, as diagnostics say it: `nodes[2].config.passwordSecret`. */
  readonly path: string;
}

export function secretsNamed(pipeline: Pipeline): NamedSecret[] {
  const found: NamedSecret[] = [];
  pipeline.nodes.forEach((node, i) => {
    const properties = (getOperator(node.kind)?.config as { properties?: Record<string, object> })
      ?.properties;
    if (!properties) return;
    const config = (node.config ?? {}) as Record<string, unknown>;
    for (const [key, schema] of Object.entries(properties)) {
      const value = config[key];
      if (
        (schema as Record<string, unknown>)['x-sluice-widget'] === 'secret' &&
        typeof value === 'string'
      )
        found.push({ name: value, nodeId: node.id, path: `nodes[${i}].config.${key}` });
    }
  });
  return found;
}
