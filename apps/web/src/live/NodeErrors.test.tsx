// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTime } from './format.js';
import { BadRecord } from './NodeErrors.js';

afterEach(cleanup);

describe('a bad record', () => {
  it('shows a message that could not be read as it came, not as escaped JSON', () => {
    const raw = '{"order_id": 7, "amount": "lots"';
    const { container } = render(<BadRecord row={raw} fields={[]} />);
    expect(container.textContent).toBe(raw);
    expect(container.textContent).not.toContain('\\"');
  });

  it('shows a record field by field, its timestamps as times', () => {
    const at = Date.parse('2024-05-01T10:00:00Z');
    const { container } = render(
      <BadRecord
        row={{ order_id: 7, ts: at, note: null }}
        fields={[
          { name: 'order_id', type: 'long' },
          { name: 'ts', type: 'timestamp' },
        ]}
      />,
    );
    const pairs = [...container.querySelectorAll('dl > div')].map((d) => [
      d.querySelector('dt')?.textContent,
      d.querySelector('dd')?.textContent,
    ]);
    expect(pairs).toEqual([
      ['order_id', '7'],
      ['ts', formatTime(at)],
      ['note', 'NULL'],
    ]);
    expect(container.textContent).not.toContain(String(at));
  });
});
