// Writes apps/web/src/palette/operator-icons.ts from the icon names of the
// catalog (run by `npm run docs`, after the build). Node 24 reads the
// TypeScript module as it is (type stripping).
import { writeFileSync } from 'node:fs';
import { iconModule } from '../apps/web/src/palette/icon-module.ts';
import { OPERATORS } from '../packages/shared/dist/index.js';

const target = new URL('../apps/web/src/palette/operator-icons.ts', import.meta.url);
writeFileSync(target, iconModule(OPERATORS.map((o) => o.icon)));
