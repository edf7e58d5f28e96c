import { OPERATORS } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ICONS } from './OperatorIcon.js';

describe('operator icons', () => {
  it('has an icon for the name every catalog entry gives', () => {
    const missing = OPERATORS.map((o) => o.icon).filter(
      (icon) => !Object.hasOwn(OPERATOR_ICONS, icon),
    );
    expect(missing).toEqual([]);
  });
});
