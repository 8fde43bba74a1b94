/**
 * ELECTRA's tensor names ↔ the shared encoder's, as HF's ElectraForMaskedLM (the generator) and
 * ElectraForSequenceClassification save them. The encoder layers are BERT's under `electra.`; the embeddings are
 * `embedding_size` wide and projected to the hidden size by `embeddings_project` (shared: `bert.embeddings.project`);
 * the classification head's `dense` is the shared pooler and its `out_proj` the classifier; the generator's
 * `generator_predictions` is the MLM transform and `generator_lm_head` its decoder (weight tied to the word
 * embeddings). A discriminator's `discriminator_predictions` has no counterpart and is reported unexpected.
 * ElectraForTokenClassification's `classifier` is the shared classifier as it stands (without a pooler).
 */

import { classifiesTokens, type BertArchitecture } from '../bert/params';

const NAMES: ReadonlyArray<readonly [string, string]> = [
  ['electra.embeddings_project.weight', 'bert.embeddings.project.weight'],
  ['electra.embeddings_project.bias', 'bert.embeddings.project.bias'],
  ['classifier.dense.weight', 'bert.pooler.dense.weight'],
  ['classifier.dense.bias', 'bert.pooler.dense.bias'],
  ['classifier.out_proj.weight', 'classifier.weight'],
  ['classifier.out_proj.bias', 'classifier.bias'],
  ['generator_predictions.dense.weight', 'cls.predictions.transform.dense.weight'],
  ['generator_predictions.dense.bias', 'cls.predictions.transform.dense.bias'],
  ['generator_predictions.LayerNorm.weight', 'cls.predictions.transform.LayerNorm.weight'],
  ['generator_predictions.LayerNorm.bias', 'cls.predictions.transform.LayerNorm.bias'],
  ['generator_lm_head.weight', 'cls.predictions.decoder.weight'],
  ['generator_lm_head.bias', 'cls.predictions.bias'],
];

const AS_BERT = new Map(NAMES);
const AS_ELECTRA = new Map(NAMES.map(([electra, bert]) => [bert, electra]));

/** A stored ELECTRA name (with or without the `electra.` prefix) as BERT's; a name it does not know is kept. */
export function bertName(stored: string): string {
  const mapped = AS_BERT.get(stored) ?? AS_BERT.get(`electra.${stored}`);
  if (mapped !== undefined) return mapped;
  const name = stored.startsWith('electra.') ? stored.slice('electra.'.length) : stored;
  return name.startsWith('embeddings.') || name.startsWith('encoder.') ? `bert.${name}` : stored;
}

/**
 * BERT's canonical name as ELECTRA saves it. A token classifier (architecture) is ElectraForTokenClassification's,
 * a plain `classifier` linear layer, not the `out_proj` of ElectraClassificationHead.
 */
export function electraName(canonical: string, architecture?: BertArchitecture): string {
  if (architecture && classifiesTokens(architecture) && canonical.startsWith('classifier.')) return canonical;
  const mapped = AS_ELECTRA.get(canonical);
  if (mapped !== undefined) return mapped;
  return canonical.startsWith('bert.embeddings.') || canonical.startsWith('bert.encoder.') ? `electra.${canonical.slice('bert.'.length)}` : canonical;
}
