/**
 * One heavy redraw at a time. A chart library draws a whole chart in one task (recharts 3 re-renders inside its
 * own commit), so six charts updated together block the page for the sum of their costs. Each chart asks for a
 * turn instead; turns are granted one by one, the next only after the previous one's commit and a yield to the
 * event loop, so input and timers run between two charts.
 */
export interface TurnQueue {
  /** Asks for a turn; `grant` runs when it comes. A second request of the same id before its turn is merged. */
  request(id: symbol, grant: () => void): void;
  /** The granted turn has been drawn (call after its commit); the next one is granted after a yield. */
  done(id: symbol): void;
  /** A departing requester (unmount): drops its pending request and frees its turn. */
  cancel(id: symbol): void;
}

export function createTurnQueue(schedule: (next: () => void) => void = (next) => setTimeout(next, 0)): TurnQueue {
  const waiting = new Map<symbol, () => void>();
  let current: symbol | null = null;
  let scheduled = false;

  const grantNext = (): void => {
    scheduled = false;
    if (current !== null) return;
    const next = waiting.entries().next();
    if (next.done) return;
    const [id, grant] = next.value;
    waiting.delete(id);
    current = id;
    grant();
  };
  const later = (): void => {
    if (scheduled || current !== null || waiting.size === 0) return;
    scheduled = true;
    schedule(grantNext);
  };
  return {
    request(id, grant) {
      waiting.set(id, grant);
      later();
    },
    done(id) {
      if (current !== id) return;
      current = null;
      later();
    },
    cancel(id) {
      waiting.delete(id);
      if (current === id) current = null;
      later();
    },
  };
}
