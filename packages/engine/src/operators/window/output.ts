// The rows a window aggregate emits: the group-by fields, window_start,
// window_end, then the aggregates, in the order of the inferred output schema.
import type { Row } from '../../batch.js';
import type { OperatorContext } from '../../operator.js';
import type { Accumulator } from './accumulators.js';

const WINDOW_START = -1;
const WINDOW_END = -2;

export class WindowOutput {
  readonly rows: Row[] = [];
  readonly times: number[] = [];
  readonly #names: string[];
  /** Per output field: an aggregate index (≥ 0), WINDOW_START, WINDOW_END, or −3 − the group-by index. */
  readonly #sources: number[];

  constructor(
    fields: readonly { name: string }[],
    groupBy: readonly string[],
    aggregates: readonly { name: string }[],
  ) {
    this.#names = fields.map((f) => f.name);
    this.#sources = fields.map(({ name }) => {
      const aggregate = aggregates.findIndex((a) => a.name === name);
      if (aggregate >= 0) return aggregate;
      if (name === 'window_start') return WINDOW_START;
      if (name === 'window_end') return WINDOW_END;
      const group = groupBy.indexOf(name);
      if (group < 0) throw new Error(`output field '${name}' is neither grouped nor aggregated`);
      return -3 - group;
    });
  }

  /** Adds the row of one key's window; its event time is the window's last millisecond. */
  push(
    values: readonly unknown[],
    start: number,
    end: number,
    accumulators: readonly Accumulator[],
  ): void {
    const row: Row = {};
    for (let f = 0; f < this.#names.length; f++) {
      const source = this.#sources[f]!;
      row[this.#names[f]!] =
        source >= 0
          ? accumulators[source]!.result()
          : source === WINDOW_START
            ? start
            : source === WINDOW_END
              ? end
              : values[-3 - source];
    }
    this.rows.push(row);
    this.times.push(end - 1);
  }

  /** Emits what was pushed as one batch, and starts afresh. */
  drain(context: OperatorContext): void {
    if (this.rows.length === 0) return;
    context.emit({ rows: this.rows.splice(0), times: this.times.splice(0) });
  }
}
