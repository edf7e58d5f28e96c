// Schema checks, compiled once per schema. TypeBox's interpreted Value.Check
// costs about 6 µs an object (75 ms for a pipeline at the size limit); the
// compiled check is many times faster, and TypeBox falls back to interpreting
// where a page's policy forbids compiling.
import type { TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';

const compiled = new WeakMap<TSchema, Validator>();

/** True when `value` matches `schema`. */
export function checkSchema(schema: TSchema, value: unknown): boolean {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  return validator.Check(value);
}
