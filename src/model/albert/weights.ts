/**
 * ALBERT's tensor names ↔ the shared encoder's, as HF's AlbertModel, AlbertForMaskedLM,
 * AlbertForSequenceClassification and AlbertForTokenClassification save them. Each of the `num_hidden_groups`
 * sets of layer weights, `albert.encoder.albert_layer_groups.G.albert_layers.0`, is the shared encoder's
 * `bert.encoder.layer.G` (which the layers sharing it all run); `embedding_hidden_mapping_in` is the embeddings'
 * projection, `albert.pooler` the pooler, `predictions` the MLM head (its decoder tied to the word embeddings).
 * AlbertForPreTraining's `sop_classifier` has no counterpart and is reported unexpected.
 */

/** Inside a set of layer weights: ALBERT's module → BERT's. */
const LAYER: ReadonlyArray<readonly [string, string]> = [
  ['attention.query', 'attention.self.query'],
  ['attention.key', 'attention.self.key'],
  ['attention.value', 'attention.self.value'],
  ['attention.dense', 'attention.output.dense'],
  ['attention.LayerNorm', 'attention.output.LayerNorm'],
  ['ffn', 'intermediate.dense'],
  ['ffn_output', 'output.dense'],
  ['full_layer_layer_norm', 'output.LayerNorm'],
];

/** Outside the layers (without the `albert.` prefix): ALBERT's tensor → BERT's. */
const OTHERS: ReadonlyArray<readonly [string, string]> = [
  ['encoder.embedding_hidden_mapping_in.weight', 'bert.embeddings.project.weight'],
  ['encoder.embedding_hidden_mapping_in.bias', 'bert.embeddings.project.bias'],
  ['pooler.weight', 'bert.pooler.dense.weight'],
  ['pooler.bias', 'bert.pooler.dense.bias'],
  ['predictions.dense.weight', 'cls.predictions.transform.dense.weight'],
  ['predictions.dense.bias', 'cls.predictions.transform.dense.bias'],
  ['predictions.LayerNorm.weight', 'cls.predictions.transform.LayerNorm.weight'],
  ['predictions.LayerNorm.bias', 'cls.predictions.transform.LayerNorm.bias'],
  ['predictions.decoder.weight', 'cls.predictions.decoder.weight'],
  ['predictions.bias', 'cls.predictions.bias'],
];
const AS_BERT = new Map<string, string>([...OTHERS, ['predictions.decoder.bias', 'cls.predictions.bias']]);
const AS_ALBERT = new Map(OTHERS.map(([albert, bert]) => [bert, albert]));
const ALBERT_LAYER = /^encoder\.albert_layer_groups\.(\d+)\.albert_layers\.0\.(.+)\.(weight|bias)$/;
const BERT_LAYER = /^bert\.encoder\.layer\.(\d+)\.(.+)\.(weight|bias)$/;
/** The modules outside the encoder whose stored names carry the `albert.` prefix in a head class. */
const PREFIXED = /^(embeddings|encoder|pooler)\./;

/** A stored ALBERT name (with or without the `albert.` prefix) as BERT's; a name it does not know is kept. */
export function bertName(stored: string): string {
  const name = stored.startsWith('albert.') ? stored.slice('albert.'.length) : stored;
  const other = AS_BERT.get(name);
  if (other !== undefined) return other;
  const layer = ALBERT_LAYER.exec(name);
  const module = layer && LAYER.find(([albert]) => albert === layer[2]);
  if (module) return `bert.encoder.layer.${layer[1]}.${module[1]}.${layer[3]}`;
  return name.startsWith('embeddings.') ? `bert.${name}` : stored;
}

/** BERT's canonical name as ALBERT saves it. */
export function albertName(canonical: string): string {
  const other = AS_ALBERT.get(canonical);
  if (other !== undefined) return PREFIXED.test(other) ? `albert.${other}` : other;
  const layer = BERT_LAYER.exec(canonical);
  const module = layer && LAYER.find(([, bert]) => bert === layer[2]);
  if (module) return `albert.encoder.albert_layer_groups.${layer[1]}.albert_layers.0.${module[0]}.${layer[3]}`;
  return canonical.startsWith('bert.embeddings.') ? `albert.${canonical.slice('bert.'.length)}` : canonical;
}
