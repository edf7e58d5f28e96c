import type { Operator } from '../operator.js';

/** Passes every input through; the runtime takes the minimum of the inputs' watermarks. */
export function createUnion(): Operator {
  return {
    process(batch, _input, context) {
      context.emit(batch);
    },
  };
}
