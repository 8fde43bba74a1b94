import { describe, expect, it } from 'vitest';
import { createTurnQueue } from './turns';

/** A queue whose yields run only when the test says so. */
function manualQueue() {
  const pending: (() => void)[] = [];
  const queue = createTurnQueue((next) => pending.push(next));
  const tick = (): void => {
    const next = pending.shift();
    if (!next) throw new Error('nothing scheduled');
    next();
  };
  return { queue, tick, pending };
}

describe('createTurnQueue', () => {
  it('grants one turn per yield, the next only after the current one is done', () => {
    const { queue, tick, pending } = manualQueue();
    const [a, b] = [Symbol('a'), Symbol('b')];
    const granted: string[] = [];
    queue.request(a, () => granted.push('a'));
    queue.request(b, () => granted.push('b'));
    expect(granted).toEqual([]); // never inside the request's own task
    tick();
    expect(granted).toEqual(['a']);
    expect(pending).toHaveLength(0); // b waits while a draws
    queue.done(a);
    expect(granted).toEqual(['a']); // and still waits for a yield after a's commit
    tick();
    expect(granted).toEqual(['a', 'b']);
  });

  it('merges repeated requests of one id into its place in the line, with the newest grant', () => {
    const { queue, tick } = manualQueue();
    const [a, b] = [Symbol('a'), Symbol('b')];
    const granted: string[] = [];
    queue.request(a, () => granted.push('a1'));
    queue.request(b, () => granted.push('b'));
    queue.request(a, () => granted.push('a2'));
    tick();
    queue.done(a);
    tick();
    expect(granted).toEqual(['a2', 'b']);
  });

  it('frees the turn of a requester that leaves, and drops its waiting request', () => {
    const { queue, tick } = manualQueue();
    const [a, b, c] = [Symbol('a'), Symbol('b'), Symbol('c')];
    const granted: string[] = [];
    queue.request(a, () => granted.push('a'));
    queue.request(b, () => granted.push('b'));
    queue.request(c, () => granted.push('c'));
    tick();
    queue.cancel(b);
    queue.cancel(a); // unmounted mid-turn: never calls done
    tick();
    expect(granted).toEqual(['a', 'c']);
  });

  it('ignores a done from an id whose turn it is not', () => {
    const { queue, tick, pending } = manualQueue();
    const [a, b] = [Symbol('a'), Symbol('b')];
    queue.request(a, () => undefined);
    queue.request(b, () => undefined);
    tick();
    queue.done(b);
    expect(pending).toHaveLength(0);
  });
});
