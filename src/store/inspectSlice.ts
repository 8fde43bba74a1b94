import type { AttentionMap, Prediction } from '../worker/protocol';
import { engine } from './engine';
import type { Slice } from './types';

export interface InspectSlice {
  attentionText: string;
  /** The current weights' attention and, for comparison, the pretrained checkpoint's. */
  attention: { current: AttentionMap; pretrained: AttentionMap } | null;
  playgroundText: string;
  /** The context a question-answering head finds its answer in (playgroundText is then the question). */
  playgroundContext: string;
  predictions: Prediction[] | null;
  setAttentionText(text: string): void;
  computeAttention(): Promise<void>;
  setPlaygroundText(text: string): void;
  setPlaygroundContext(context: string): void;
  /** Predicts for the playground's text; `withContext` sends the context as the pair (question answering). */
  predict(withContext?: boolean): Promise<void>;
  /** Drops maps and predictions made with another model (they would show its tokens and head). */
  resetInspect(): void;
}

export const createInspectSlice: Slice<InspectSlice> = (set, get) => ({
  attentionText: 'the cat sat on the mat.',
  attention: null,
  playgroundText: 'a small dog that barks at [MASK].',
  playgroundContext: 'The lighthouse on Corran Point was built in 1871 by the engineer Ada Brennan. It has guided ships into the bay ever since.',
  predictions: null,

  setAttentionText(text) {
    set({ attentionText: text });
  },

  async computeAttention() {
    const text = get().attentionText;
    const maps = await get().runTask('Computing attention', async () => ({
      current: await engine().call('attention', { text, weights: 'current' }),
      pretrained: await engine().call('attention', { text, weights: 'pretrained' }),
    }));
    if (maps) set({ attention: maps });
  },

  setPlaygroundText(text) {
    set({ playgroundText: text });
  },

  setPlaygroundContext(context) {
    set({ playgroundContext: context });
  },

  async predict(withContext = false) {
    const text = get().playgroundText;
    const example = withContext ? { text, pair: get().playgroundContext } : { text };
    const predictions = await get().runTask('Predicting', () => engine().call('predict', { examples: [example], topK: 5 }));
    if (predictions) set({ predictions });
  },

  resetInspect() {
    set({ attention: null, predictions: null });
  },
});
