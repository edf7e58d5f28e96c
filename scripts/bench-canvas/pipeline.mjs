// The benchmark's pipeline: `rows` rows of five steps each (a generator, a
// filter, a map, a window and a preview), laid out as tidy-up lays them out,
// so it fills the canvas. The generators have a rate and no count: the job
// runs live until it is stopped. Every tenth row's map fails on every record
// (a string cast to a number), so the live view has bad records to show too.

/** Vertical distance between rows, as tidy-up spaces the steps while editing (78 px tall, 32 apart). */
export const ROW_SPACING = 110;
/** Horizontal distance between columns: a step is 184 px wide, tidy-up leaves 56 between layers. */
export const COLUMN_SPACING = 240;
export const STEPS_PER_ROW = 5;
export const FILTER_EXPRESSION = 'amount >= 20';

export function canvasPipeline(rows = 40, rate = 20) {
  const nodes = [];
  const edges = [];
  for (let row = 1; row <= rows; row++) {
    const y = (row - 1) * ROW_SPACING;
    const at = (column) => ({ x: column * COLUMN_SPACING, y });
    const failing = row % 10 === 0;
    const ids = [
      `orders_${row}`,
      `big_${row}`,
      `cents_${row}`,
      `per_category_${row}`,
      `results_${row}`,
    ];
    nodes.push(
      {
        id: ids[0],
        kind: 'source.datagen',
        label: `Orders ${row}`,
        position: at(0),
        config: {
          fields: [
            { name: 'order_id', type: 'long', generator: { kind: 'sequence', start: 1 } },
            {
              name: 'category',
              type: 'string',
              generator: { kind: 'choice', values: ['books', 'games', 'music', 'garden'] },
            },
            { name: 'amount', type: 'double', generator: { kind: 'random', min: 1, max: 250 } },
            // Up to 2 s out of order against 1 s allowed: some records arrive late.
            { name: 'ts', type: 'timestamp', generator: { kind: 'timestamp', maxDelay: '2s' } },
          ],
          rate,
          seed: row,
          eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
        },
      },
      {
        id: ids[1],
        kind: 'transform.filter',
        label: `Big orders ${row}`,
        position: at(1),
        config: { where: FILTER_EXPRESSION },
      },
      {
        id: ids[2],
        kind: 'transform.map',
        label: `In cents ${row}`,
        position: at(2),
        config: {
          fields: [
            failing
              ? { name: 'cents', expr: 'CAST(category AS DOUBLE)' }
              : { name: 'cents', expr: 'amount * 100' },
          ],
          keepInput: true,
        },
      },
      {
        id: ids[3],
        kind: 'window.aggregate',
        label: `Per category ${row}`,
        position: at(3),
        config: {
          window: { type: 'tumbling', size: '2s' },
          groupBy: ['category'],
          aggregates: [
            { name: 'orders', fn: 'count' },
            { name: 'revenue', fn: 'sum', expr: 'cents' },
          ],
        },
      },
      {
        id: ids[4],
        kind: 'sink.preview',
        label: `Results ${row}`,
        position: at(4),
        config: { capacity: 50 },
      },
    );
    for (let i = 0; i < ids.length - 1; i++) {
      edges.push({ id: `e${row}_${i + 1}`, source: ids[i], target: ids[i + 1] });
    }
  }
  return {
    format: 'sluice.pipeline/v1',
    name: `Canvas benchmark, ${rows * STEPS_PER_ROW} steps`,
    description: `${rows} rows of generator → filter → map → window → preview, for npm run bench:canvas.`,
    nodes,
    edges,
  };
}
