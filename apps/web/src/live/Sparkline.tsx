// A node's recent rate as a tiny line: one SVG polyline, no element per point,
// drawn again only when the node's history is a new array (a tick that changed it).
import { memo } from 'react';

const WIDTH = 40;
const HEIGHT = 12;

export function sparkPoints(values: readonly number[], width = WIDTH, height = HEIGHT): string {
  if (values.length === 0) return '';
  let max = 1;
  for (const v of values) if (v > max) max = v;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`)
    .join(' ');
}

export const Sparkline = memo(function Sparkline({ values }: { values: readonly number[] }) {
  return (
    <svg
      className="sparkline"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      aria-hidden="true"
    >
      <polyline points={sparkPoints(values)} fill="none" strokeWidth="1.5" />
    </svg>
  );
});
