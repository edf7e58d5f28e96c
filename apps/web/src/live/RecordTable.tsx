// A live table of records, newest first: a filter box, and pause to read
// while the records keep coming (what arrives meanwhile waits in the buffer).
// Every row kept is shown, up to SHOWN; a row's key always names the same
// record, so a row already drawn is not drawn again as new ones arrive.
import type { Row } from '@sluice/shared';
import { Pause, Play } from 'lucide-react';
import { memo, type ReactNode, useMemo, useState } from 'react';
import { formatTime, formatValue } from './format.js';
import { type Column, matchesFilter } from './records.js';

export interface TableRow {
  readonly key: string | number;
  readonly row: Row;
  readonly time?: number;
}

/** Rows drawn at most: all a preview keeps by default (200), and all a tap keeps (500). */
export const SHOWN = 500;

interface Props {
  readonly label: string;
  readonly columns: readonly Column[];
  /** Newest first. */
  readonly rows: readonly TableRow[];
  readonly timeLabel?: string;
  readonly empty: ReactNode;
  /** Records received in all, of which `rows` are the latest kept. */
  readonly total?: number;
  /** Whether more rows may still come (so pausing means something); true unless said. */
  readonly live?: boolean;
}

/** `200 shown of 200 kept`, and what was received when more came than are kept. */
export function countsText(shown: number, kept: number, total: number | undefined): string {
  const received =
    total !== undefined && total > kept ? ` · ${total} received, the older ones not kept` : '';
  const cut = shown < Math.min(kept, SHOWN) ? '' : kept > SHOWN ? ` (the newest ${SHOWN})` : '';
  return `${shown} shown of ${kept} kept${cut}${received}`;
}

export function RecordTable({ label, columns, rows, timeLabel, empty, total, live = true }: Props) {
  const [filter, setFilter] = useState('');
  const [paused, setFrozen] = useState<readonly TableRow[] | null>(null);
  const frozen = live ? paused : null;
  const source = frozen ?? rows;
  const shown = useMemo(
    () => source.filter((r) => matchesFilter(r.row, filter)).slice(0, SHOWN),
    [source, filter],
  );
  return (
    <div className="record-table">
      <div className="record-tools">
        <input
          className="input"
          type="search"
          placeholder="Filter"
          aria-label={`Filter ${label}`}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        {live && (
          <button
            type="button"
            className="button"
            aria-pressed={frozen !== null}
            onClick={() => setFrozen(frozen ? null : rows)}
          >
            {frozen ? (
              <Play size={12} aria-hidden="true" />
            ) : (
              <Pause size={12} aria-hidden="true" />
            )}
            {frozen ? 'Resume' : 'Pause'}
          </button>
        )}
        <span className="muted small">
          {countsText(shown.length, source.length, total)}
          {frozen ? ' · paused' : ''}
        </span>
      </div>
      {source.length === 0 ? (
        <p className="muted small pad">{empty}</p>
      ) : (
        <div className="table-scroll">
          <table aria-label={label}>
            <thead>
              <tr>
                {timeLabel && <th>{timeLabel}</th>}
                {columns.map((c) => (
                  <th key={c.name} title={c.type}>
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <RecordRow
                  key={r.key}
                  record={r}
                  columns={columns}
                  time={timeLabel !== undefined}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** A row is drawn again only when the columns change: its key always names the same record. */
const RecordRow = memo(
  function RecordRow({
    record,
    columns,
    time,
  }: {
    record: TableRow;
    columns: readonly Column[];
    time: boolean;
  }) {
    return (
      <tr>
        {time && (
          <td className="muted">{record.time === undefined ? '' : formatTime(record.time)}</td>
        )}
        {columns.map((c) => (
          <td key={c.name} className={typeof record.row[c.name] === 'number' ? 'num' : ''}>
            {formatValue(record.row[c.name], c.type)}
          </td>
        ))}
      </tr>
    );
  },
  (a, b) => a.record.key === b.record.key && a.time === b.time && sameColumns(a.columns, b.columns),
);

function sameColumns(a: readonly Column[], b: readonly Column[]): boolean {
  return (
    a === b ||
    (a.length === b.length && a.every((c, i) => c.name === b[i]?.name && c.type === b[i]?.type))
  );
}
