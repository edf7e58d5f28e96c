// A preview's numbers over window time, drawn by uPlot. The plot is made once
// per shape (series and size) and fed new data as windows fire.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartData } from './chart.js';

const COLOURS = [
  '#2563eb',
  '#d97706',
  '#059669',
  '#db2777',
  '#7c3aed',
  '#0891b2',
  '#65a30d',
  '#dc2626',
];
const HEIGHT = 170;

export function ResultsChart({ data, label }: { data: ChartData; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The plot is re-made only when its lines change; new values go through setData.
  const lines = data.series.map((s) => s.label).join('\u0001');
  const timeField = data.timeField;
  const aligned: uPlot.AlignedData = [
    data.x as number[],
    ...data.series.map((s) => s.values as (number | null)[]),
  ];
  const latest = useRef(aligned);
  latest.current = aligned;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const made = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: HEIGHT,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        // One window alone would be stretched over years: give it a minute around it.
        scales: {
          x: {
            time: true,
            range: (_u, min, max) => (min === max ? [min - 30, max + 30] : [min, max]),
          },
        },
        axes: [{ stroke: 'currentColor' }, { stroke: 'currentColor', size: 56 }],
        series: [
          { label: timeField },
          ...lines.split('\u0001').map((line, i) => ({
            label: line,
            stroke: COLOURS[i % COLOURS.length],
            width: 2,
            points: { size: 5 },
            spanGaps: true,
          })),
        ],
      },
      latest.current,
      el,
    );
    plot.current = made;
    const resize = new ResizeObserver(() =>
      made.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      made.destroy();
      plot.current = null;
    };
  }, [lines, timeField]);

  useEffect(() => {
    plot.current?.setData(aligned);
  });

  return <div className="results-chart" ref={box} role="img" aria-label={label} />;
}
