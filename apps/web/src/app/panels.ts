// The panels the user closed stay closed on the next visit: kept in this
// browser's localStorage, like the theme.
import { useEffect } from 'react';
import { OPEN_PANELS, type Panels } from '../store/store.js';

const KEY = 'sluice.panels';

/** The panels as this browser last left them; all open the first time, or when what is kept is not ours. */
export function savedPanels(storage: Pick<Storage, 'getItem'> = localStorage): Panels {
  try {
    const saved = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<Panels> | null;
    return {
      side: typeof saved?.side === 'boolean' ? saved.side : OPEN_PANELS.side,
      results: typeof saved?.results === 'boolean' ? saved.results : OPEN_PANELS.results,
      bottlenecks:
        typeof saved?.bottlenecks === 'boolean' ? saved.bottlenecks : OPEN_PANELS.bottlenecks,
    };
  } catch {
    return OPEN_PANELS;
  }
}

export function usePanelsRemembered(panels: Panels): void {
  useEffect(() => {
    localStorage.setItem(KEY, JSON.stringify(panels));
  }, [panels]);
}
