// The header's "retrying in N s": the seconds left until the next try of a failed save.
import { useEffect, useState } from 'react';
import { useEditor } from '../store/context.js';

/** Whole seconds from `now` until `at`, rounded up, never below 0. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** The seconds until the next try of a failed save, counting down; null while none is waiting. */
export function useRetryCountdown(): number | null {
  const at = useEditor((s) => s.saveRetryAt);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (at === null) return;
    setNow(Date.now());
    // Twice a second, so the count never lags a whole second behind.
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : secondsUntil(at, now);
}
