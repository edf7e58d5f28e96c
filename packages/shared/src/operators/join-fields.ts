// How a join names its output fields: left fields, then right fields. A right
// key with the same name as its left key appears once; any other right field
// whose name is taken gets the right prefix.
import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import type { InferContext } from '../catalog/operator.js';
import { type Field, findField, isNumericType, type StreamSchema } from '../schema/field.js';
import { ExpressionSchema, JoinKeysSchema } from './common.js';

export const JoinBaseConfig = {
  on: JoinKeysSchema,
  where: Type.Optional(
    ExpressionSchema({
      title: 'Also where',
      description: 'An extra condition over the joined fields',
    }),
  ),
  rightPrefix: Defaulted(
    Type.String({
      pattern: '^[A-Za-z_][A-Za-z0-9_]{0,31}$',
      title: 'Right prefix',
      description: 'Put before right-side field names that clash with left-side ones',
    }),
    'right_',
  ),
};

type JoinConfig = { on: Static<typeof JoinKeysSchema>; where?: string; rightPrefix: string };

/** Checks the keys and returns the joined fields, or undefined after reporting a problem. */
export function joinFields(
  context: Pick<InferContext<JoinConfig>, 'config' | 'error' | 'expression'>,
  left: StreamSchema,
  right: StreamSchema,
  leading: readonly Field[] = [],
): Field[] | undefined {
  const { config, error } = context;
  let ok = true;
  config.on.forEach((pair, i) => {
    const l = findField(left.fields, pair.left);
    const r = findField(right.fields, pair.right);
    if (!l) {
      error(`on[${i}].left`, 'config.unknown-field', unknown('left', pair.left, left));
      ok = false;
    }
    if (!r) {
      error(`on[${i}].right`, 'config.unknown-field', unknown('right', pair.right, right));
      ok = false;
    }
    if (l && r && l.type !== r.type && !(isNumericType(l.type) && isNumericType(r.type))) {
      error(
        `on[${i}]`,
        'config.key-type',
        `Cannot join ${l.name} (${l.type}) with ${r.name} (${r.type}): keys must have the same type.`,
      );
      ok = false;
    }
  });
  if (!ok) return undefined;

  const layout = joinLayout(config, left.fields, right.fields, leading);
  if ('clash' in layout) {
    error('rightPrefix', 'config.duplicate-field', layout.clash);
    return undefined;
  }
  const fields = layout.fields;
  if (config.where !== undefined) context.expression('where', config.where, fields, 'boolean');
  return fields;
}

/** Where each output field of a join comes from. */
export interface JoinFieldSource {
  readonly name: string;
  readonly side: 'left' | 'right' | 'leading';
  readonly field: string;
}

/**
 * The output fields of a join and where each comes from: `leading` fields
 * (such as window bounds), the left fields, then the right fields. A right
 * key named like the left key it equals appears once; any other right field
 * whose name is taken gets the right prefix.
 */
export function joinLayout(
  config: Pick<JoinConfig, 'on' | 'rightPrefix'>,
  left: readonly Field[],
  right: readonly Field[],
  leading: readonly Field[] = [],
): { fields: Field[]; sources: JoinFieldSource[] } | { clash: string } {
  const prefix = config.rightPrefix;
  const fields: Field[] = [...leading, ...left];
  const sources: JoinFieldSource[] = [
    ...leading.map((f) => ({ name: f.name, side: 'leading' as const, field: f.name })),
    ...left.map((f) => ({ name: f.name, side: 'left' as const, field: f.name })),
  ];
  const names = new Set(fields.map((f) => f.name));
  for (const f of right) {
    if (config.on.some((p) => p.right === f.name && p.left === f.name)) continue;
    const name = names.has(f.name) ? `${prefix}${f.name}` : f.name;
    if (names.has(name)) {
      return {
        clash: `Right field '${f.name}' clashes with '${name}' on the left: choose another right prefix.`,
      };
    }
    names.add(name);
    fields.push({ name, type: f.type });
    sources.push({ name, side: 'right', field: f.name });
  }
  return { fields, sources };
}

function unknown(side: string, name: string, schema: StreamSchema): string {
  return `The ${side} input has no field '${name}'. Its fields: ${schema.fields.map((f) => f.name).join(', ')}.`;
}
