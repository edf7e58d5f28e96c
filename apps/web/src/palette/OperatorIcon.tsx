// An operator's icon, by the lucide name its catalog entry gives. Icons load
// on demand, so the catalog can name any lucide icon without a list here.
import { Box } from 'lucide-react';
import { DynamicIcon, type IconName } from 'lucide-react/dynamic';
import { memo } from 'react';

export const OperatorIcon = memo(function OperatorIcon({
  name,
  size = 16,
}: {
  name: string;
  size?: number;
}) {
  return (
    <DynamicIcon
      name={name as IconName}
      size={size}
      aria-hidden="true"
      fallback={() => <Box size={size} aria-hidden="true" />}
    />
  );
});
