// A node's recent rate as a tiny line: an inline SVG polyline, nothing more.
import { memo } from 'react';

const WIDTH = 72;
const HEIGHT = 18;

export function sparkPoints(values: readonly number[], width = WIDTH, height = HEIGHT): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, 1);
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
