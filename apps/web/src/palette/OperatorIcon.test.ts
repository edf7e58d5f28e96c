import { readFileSync } from 'node:fs';
import { OPERATORS } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { iconModule } from './icon-module.js';
import { OPERATOR_ICONS } from './OperatorIcon.js';

describe('operator icons', () => {
  it('has an icon for the name every catalog entry gives', () => {
    const missing = OPERATORS.map((o) => o.icon).filter(
      (icon) => !Object.hasOwn(OPERATOR_ICONS, icon),
    );
    expect(missing).toEqual([]);
  });

  it('operator-icons.ts is the one generated from the catalog (run `npm run docs` after a change)', () => {
    const file = readFileSync(new URL('./operator-icons.ts', import.meta.url), 'utf8');
    expect(file).toBe(iconModule(OPERATORS.map((o) => o.icon)));
  });
});
