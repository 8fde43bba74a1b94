import { useEffect, useRef, useState } from 'react';
import { createTurnQueue } from './turns';

/** The page's one queue: every heavy view waits for the same turns, so no two redraw in one task. */
const queue = createTurnQueue();

/**
 * `value` as last drawn: a change waits for its turn (see turns.ts) before the component re-renders with it, and
 * `null` until the first turn, for a placeholder. `same` tells a change that needs a redraw from a new object
 * with the same content.
 */
export function useTurn<T>(value: T, same: (a: T, b: T) => boolean): T | null {
  const [id] = useState(() => Symbol('turn'));
  const [drawn, setDrawn] = useState<{ value: T } | null>(null);
  const latest = useRef(value);
  const stale = drawn === null || !same(drawn.value, value);

  useEffect(() => {
    // The grant draws the newest value, however many changes arrived while it waited.
    latest.current = value;
    if (stale) queue.request(id, () => setDrawn({ value: latest.current }));
  });
  // Runs after the commit that drew the granted value: the turn is over.
  useEffect(() => queue.done(id), [drawn, id]);
  useEffect(() => () => queue.cancel(id), [id]);
  return drawn?.value ?? null;
}
