// Records sampled from one edge of the running job: the tap opens with the
// panel and closes with it; columns come from the edge's inferred schema.
import type { PipelineEdge } from '@sluice/shared';
import { useEffect, useMemo } from 'react';
import { sourcePort } from '../document/document.js';
import { useEditor } from '../store/context.js';
import { RecordTable, type TableRow } from './RecordTable.js';
import { columnsFor } from './records.js';

const NO_ROWS: readonly TableRow[] = [];

export function EdgeRecords({ edge, label }: { edge: PipelineEdge; label: string }) {
  const channel = useEditor((s) => s.live.channel);
  const running = useEditor((s) => s.live.job?.status === 'running');
  const schema = useEditor((s) => s.analysis.schemas.get(edge.source)?.[sourcePort(edge)]);
  const buffer = useEditor((s) => s.live.taps.get(edge.id));
  useEffect(() => {
    if (!channel || !running) return;
    channel.tap(edge.id, true);
    return () => channel.tap(edge.id, false);
  }, [channel, running, edge.id]);
  // What was sampled stays readable after the job ends, until the panel closes.
  useEffect(() => {
    if (!channel) return;
    return () => channel.forgetTap(edge.id);
  }, [channel, edge.id]);
  const rows = useMemo(
    () => buffer?.rows.map((r) => ({ key: r.seq, row: r.row, time: r.time })) ?? NO_ROWS,
    [buffer],
  );
  const columns = useMemo(
    () =>
      columnsFor(
        schema?.fields,
        rows.map((r) => r.row),
      ),
    [schema, rows],
  );
  return (
    <RecordTable
      label={label}
      columns={columns}
      rows={rows}
      // A record's event time is one of its fields when the schema names it.
      {...(schema?.timeField === undefined && {
        timeLabel: schema?.time === 'event' ? 'event time' : 'arrived',
      })}
      total={buffer?.total}
      live={running}
      empty={
        running
          ? 'Waiting for records on this connection…'
          : 'The job is not running, so no records are sampled.'
      }
    />
  );
}
