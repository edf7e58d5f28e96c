// A live table of records, newest first: a filter box, and pause to read
// while the records keep coming (what arrives meanwhile waits in the buffer).
import type { Row } from '@sluice/shared';
import { Pause, Play } from 'lucide-react';
import { type ReactNode, useMemo, useState } from 'react';
import { formatTime, formatValue } from './format.js';
import { type Column, matchesFilter } from './records.js';

export interface TableRow {
  readonly key: string | number;
  readonly row: Row;
  readonly time?: number;
}

const SHOWN = 100;

interface Props {
  readonly label: string;
  readonly columns: readonly Column[];
  /** Newest first. */
  readonly rows: readonly TableRow[];
  readonly timeLabel?: string;
  readonly empty: ReactNode;
  readonly total?: number;
}

export function RecordTable({ label, columns, rows, timeLabel, empty, total }: Props) {
  const [filter, setFilter] = useState('');
  const [frozen, setFrozen] = useState<readonly TableRow[] | null>(null);
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
        <button
          type="button"
          className="button"
          aria-pressed={frozen !== null}
          onClick={() => setFrozen(frozen ? null : rows)}
        >
          {frozen ? <Play size={12} aria-hidden="true" /> : <Pause size={12} aria-hidden="true" />}
          {frozen ? 'Resume' : 'Pause'}
        </button>
        <span className="muted small">
          {shown.length} shown
          {total !== undefined && ` of ${total}`}
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
                <tr key={r.key}>
                  {timeLabel && (
                    <td className="muted">{r.time === undefined ? '' : formatTime(r.time)}</td>
                  )}
                  {columns.map((c) => (
                    <td key={c.name} className={typeof r.row[c.name] === 'number' ? 'num' : ''}>
                      {formatValue(r.row[c.name], c.type)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
