import { useEffect, useState } from 'react';
import { shallow } from 'zustand/shallow';
import { useStudio, type StudioState } from '../../store';
import { throttle } from './throttle';

/**
 * A slice of the store that re-renders at most once every `ms`: steps can arrive many times a second on a
 * real GPU, and redrawing every chart for each would take the main thread from the person using the page.
 * `select` must be stable (defined outside the component); its result is compared shallowly.
 */
export function useThrottledStudio<T extends object>(select: (state: StudioState) => T, ms: number): T {
  const [value, setValue] = useState(() => select(useStudio.getState()));
  useEffect(() => {
    const update = throttle(() => {
      const next = select(useStudio.getState());
      setValue((previous) => (shallow(previous, next) ? previous : next));
    }, ms);
    const unsubscribe = useStudio.subscribe(update.call);
    update.call(); // catches a change between the first render and the subscription
    return () => {
      unsubscribe();
      update.cancel();
    };
  }, [select, ms]);
  return value;
}
