// An operator's icon, by the lucide name its catalog entry gives. Only the
// icons the catalog names are bundled (operator-icons.ts, generated from the
// catalog by `npm run docs`); an unknown name shows a box.
import { Box } from 'lucide-react';
import { memo } from 'react';
import { OPERATOR_ICONS } from './operator-icons.js';

export { OPERATOR_ICONS };

export const OperatorIcon = memo(function OperatorIcon({
  name,
  size = 16,
}: {
  name: string;
  size?: number;
}) {
  const Icon = Object.hasOwn(OPERATOR_ICONS, name) ? OPERATOR_ICONS[name]! : Box;
  return <Icon size={size} aria-hidden="true" />;
});
