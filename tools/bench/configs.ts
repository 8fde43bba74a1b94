// The models the benchmark trains, by name: real architectures that workloads.ts fills with fresh weights. Plain
// data, read by the page (which builds the models) and by Node (which hands them to the PyTorch reference).
import type { BenchConfigName } from './protocol';

export const CONFIG_NAMES: readonly BenchConfigName[] = ['tiny', 'mini', 'base'];

/** A config.json in the repository (public/ is served at / by the Vite server), or the config itself. */
export type ConfigSource = { file: string } | { json: Record<string, unknown> };

export const CONFIG_SOURCES: Record<BenchConfigName, ConfigSource> = {
  tiny: { file: 'public/models/bert-tiny-en/config.json' },
  mini: {
    json: { model_type: 'bert', vocab_size: 30522, hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 },
  },
  // tools/testing/bertBase.ts's BERT_BASE, which the page cannot import (that module reads and writes files).
  base: {
    json: { model_type: 'bert', vocab_size: 30522, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072 },
  },
};

/** Where the page fetches a config file from: the Vite server serves public/ at / and the rest of the repository as it lies. */
export function servedPath(file: string): string {
  return file.startsWith('public/') ? file.slice('public'.length) : `/${file}`;
}
