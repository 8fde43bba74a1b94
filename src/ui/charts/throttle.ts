/**
 * Leading-and-trailing throttle: the first call after a quiet spell runs at once, calls within `ms` of the last
 * run collapse into one run at the end of the window, so the newest state always shows within `ms`.
 */
export interface Throttled {
  call(): void;
  cancel(): void;
}

export function throttle(run: () => void, ms: number, now: () => number = () => performance.now()): Throttled {
  if (!(ms >= 0)) throw new RangeError(`throttle needs a window >= 0 ms, got ${ms}`);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastRun = -Infinity;
  const fire = (): void => {
    timer = null;
    lastRun = now();
    run();
  };
  return {
    call() {
      if (timer !== null) return;
      const wait = lastRun + ms - now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
