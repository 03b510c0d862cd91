import { useEffect, useState } from 'react';
import { formatDuration } from './format';

/** A duration that ticks while something runs; only this span re-renders each second. */
export function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  return <span className="elapsed">{formatDuration(now - since)}</span>;
}
