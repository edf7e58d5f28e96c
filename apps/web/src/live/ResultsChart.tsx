// A preview's numbers over window time, drawn by uPlot. The plot is made once
// per shape (series, window length and theme) and fed new data as windows
// fire. Its canvas takes the page's colours when it is made (a canvas cannot
// follow CSS), so a change of theme makes it again.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEditor } from '../store/context.js';
import type { ChartData } from './chart.js';
import { timeIncrements, timeLabels, timeRange } from './chart-axis.js';

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
  const stepS = data.stepS;
  const theme = useEditor((s) => s.theme);
  const aligned: uPlot.AlignedData = [
    data.x as number[],
    ...data.series.map((s) => s.values as (number | null)[]),
  ];
  const latest = useRef(aligned);
  latest.current = aligned;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the theme reaches the plot through the computed style, so a new one makes it again
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const style = getComputedStyle(el);
    const text = style.color;
    const grid = style.getPropertyValue('--border').trim() || 'rgba(128, 128, 128, 0.3)';
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const made = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: HEIGHT,
        // Names only: the values at the cursor would read "--" until one hovers.
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          // uPlot stretches a lone time point over 1000 days: the range is the data's own.
          x: { time: true, range: (u) => timeRange(u.data[0] as number[], stepS) },
        },
        axes: [
          {
            ...axis,
            space: 70,
            incrs: timeIncrements(stepS),
            values: (_u, splits, _axis, _space, incr) => timeLabels(splits, incr),
          },
          { ...axis, size: 56 },
        ],
        series: [
          { label: timeField.replace(/_/g, ' ') },
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
  }, [lines, timeField, stepS, theme]);

  useEffect(() => {
    plot.current?.setData(aligned);
  });

  return <div className="results-chart" ref={box} role="img" aria-label={label} />;
}
