import { describe, expect, it } from 'vitest';
import { countsText, SHOWN } from './RecordTable.js';

describe('the record table’s counts', () => {
  it('shows every row kept, and says how many were received when more came than are kept', () => {
    expect(countsText(200, 200, 200)).toBe('200 shown of 200 kept');
    expect(countsText(200, 200, 1234)).toBe(
      '200 shown of 200 kept · 1234 received, the older ones not kept',
    );
    // A filter shows fewer; past SHOWN rows the newest are shown, and it says so.
    expect(countsText(3, 200, 200)).toBe('3 shown of 200 kept');
    expect(countsText(SHOWN, 2000, 2000)).toBe(`${SHOWN} shown of 2000 kept (the newest ${SHOWN})`);
  });
});
