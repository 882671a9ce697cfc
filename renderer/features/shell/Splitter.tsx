import { useRef } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';

/**
 * A draggable separator between two panes (keyboard: arrows resize by 16 px). `sign` is +1 when
 * moving right/down grows the pane, -1 when it shrinks it.
 */
export function Splitter(props: { label: string; orientation: 'vertical' | 'horizontal'; value: number; min: number; max: number; sign: 1 | -1; onChange: (value: number) => void; gridArea?: string }) {
  const start = useRef<{ pos: number; value: number } | null>(null);
  const clamp = (v: number) => Math.max(props.min, Math.min(props.max, Math.round(v)));
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { pos: props.orientation === 'vertical' ? e.clientX : e.clientY, value: props.value };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    const pos = props.orientation === 'vertical' ? e.clientX : e.clientY;
    props.onChange(clamp(start.current.value + props.sign * (pos - start.current.pos)));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const grow: Record<string, number> = props.orientation === 'vertical' ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
    const dir = grow[e.key];
    if (dir === undefined) return;
    e.preventDefault();
    props.onChange(clamp(props.value + props.sign * dir * 16));
  };
  return (
    <div
      className={`splitter splitter-${props.orientation}`}
      role="separator"
      aria-label={props.label}
      aria-orientation={props.orientation}
      aria-valuenow={props.value}
      aria-valuemin={props.min}
      aria-valuemax={props.max}
      tabIndex={0}
      style={props.gridArea ? { gridArea: props.gridArea } : undefined}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => (start.current = null)}
      onKeyDown={onKeyDown}
    />
  );
}
