import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { isAtEnd, visibleRange } from './visible-range';

/**
 * A list that renders only the rows in view (fixed row height), so a 10,000-line log
 * costs the same as a 30-line one. With `followEnd` it sticks to the bottom while
 * rows arrive, until the user scrolls up; scrolling back down re-attaches it.
 */
export interface VirtualListProps {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  followEnd?: boolean;
  className?: string;
  label: string;
}

export function VirtualList({ count, rowHeight, renderRow, followEnd = false, className, label }: VirtualListProps) {
  const outer = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const stick = useRef(true);
  const frame = useRef<number | null>(null);

  useLayoutEffect(() => {
    const element = outer.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    setHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  // New rows while attached to the end: scroll with them.
  useLayoutEffect(() => {
    const element = outer.current;
    if (!element || !followEnd || !stick.current) return;
    element.scrollTop = element.scrollHeight;
    setScrollTop(element.scrollTop);
  }, [count, followEnd]);

  const onScroll = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const element = outer.current;
      if (!element) return;
      stick.current = isAtEnd(element.scrollTop, element.clientHeight, element.scrollHeight, rowHeight);
      setScrollTop(element.scrollTop);
    });
  }, [rowHeight]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const { start, end } = visibleRange(scrollTop, height, rowHeight, count);
  const rows: ReactNode[] = [];
  for (let index = start; index < end; index += 1) {
    rows.push(
      <div key={index} className="virtual-row" style={{ height: rowHeight }} role="listitem">
        {renderRow(index)}
      </div>,
    );
  }
  return (
    <div ref={outer} className={`virtual-list ${className ?? ''}`} onScroll={onScroll} tabIndex={0} role="list" aria-label={label} data-rows={count}>
      <div className="virtual-window" style={{ height: count * rowHeight, paddingTop: start * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
