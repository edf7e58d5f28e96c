// An operator's icon, by the lucide name its catalog entry gives. Only the
// icons the catalog names are bundled (a test checks that each is here); an
// unknown name shows a box.
import {
  BetweenHorizontalStart,
  Box,
  Calculator,
  ChartColumn,
  CopyMinus,
  FileInput,
  FileOutput,
  Filter,
  Gavel,
  GitMerge,
  ListOrdered,
  type LucideIcon,
  Merge,
  RadioTower,
  Sigma,
  Sparkles,
  Table,
  Terminal,
  Trash2,
} from 'lucide-react';
import { memo } from 'react';

export const OPERATOR_ICONS: Readonly<Record<string, LucideIcon>> = {
  'between-horizontal-start': BetweenHorizontalStart,
  calculator: Calculator,
  'chart-column': ChartColumn,
  'copy-minus': CopyMinus,
  'file-input': FileInput,
  'file-output': FileOutput,
  filter: Filter,
  gavel: Gavel,
  'git-merge': GitMerge,
  'list-ordered': ListOrdered,
  merge: Merge,
  'radio-tower': RadioTower,
  sigma: Sigma,
  sparkles: Sparkles,
  table: Table,
  terminal: Terminal,
  'trash-2': Trash2,
};

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
