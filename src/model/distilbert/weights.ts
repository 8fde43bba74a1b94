/**
 * DistilBERT's tensor names ↔ the shared encoder's (BERT's canonical names), as HF's DistilBertForMaskedLM /
 * DistilBertForSequenceClassification save them: `distilbert.transformer.layer.N.attention.q_lin` is BERT's
 * `bert.encoder.layer.N.attention.self.query`, `pre_classifier` its pooler, `vocab_transform` / `vocab_layer_norm` /
 * `vocab_projector` its MLM head (the projector's weight tied to the word embeddings).
 */

/** Inside a layer: DistilBERT's module → BERT's. */
const LAYER: ReadonlyArray<readonly [string, string]> = [
  ['attention.q_lin', 'attention.self.query'],
  ['attention.k_lin', 'attention.self.key'],
  ['attention.v_lin', 'attention.self.value'],
  ['attention.out_lin', 'attention.output.dense'],
  ['sa_layer_norm', 'attention.output.LayerNorm'],
  ['ffn.lin1', 'intermediate.dense'],
  ['ffn.lin2', 'output.dense'],
  ['output_layer_norm', 'output.LayerNorm'],
];

/** Outside the encoder: DistilBERT's tensor → BERT's. */
const HEADS: ReadonlyArray<readonly [string, string]> = [
  ['pre_classifier.weight', 'bert.pooler.dense.weight'],
  ['pre_classifier.bias', 'bert.pooler.dense.bias'],
  ['vocab_transform.weight', 'cls.predictions.transform.dense.weight'],
  ['vocab_transform.bias', 'cls.predictions.transform.dense.bias'],
  ['vocab_layer_norm.weight', 'cls.predictions.transform.LayerNorm.weight'],
  ['vocab_layer_norm.bias', 'cls.predictions.transform.LayerNorm.bias'],
  ['vocab_projector.weight', 'cls.predictions.decoder.weight'],
  ['vocab_projector.bias', 'cls.predictions.bias'],
];

const HEAD_AS_BERT = new Map(HEADS);
const HEAD_AS_DISTILBERT = new Map(HEADS.map(([distil, bert]) => [bert, distil]));
const LAYER_NAME = /^transformer\.layer\.(\d+)\.(.+)\.(weight|bias)$/;
const BERT_LAYER_NAME = /^bert\.encoder\.layer\.(\d+)\.(.+)\.(weight|bias)$/;

/** A stored DistilBERT name (with or without the `distilbert.` prefix) as BERT's; a name it does not know is kept. */
export function bertName(stored: string): string {
  const head = HEAD_AS_BERT.get(stored);
  if (head !== undefined) return head;
  const name = stored.startsWith('distilbert.') ? stored.slice('distilbert.'.length) : stored;
  if (name.startsWith('embeddings.')) return `bert.${name}`;
  const layer = LAYER_NAME.exec(name);
  const module = layer && LAYER.find(([distil]) => distil === layer[2]);
  return module ? `bert.encoder.layer.${layer[1]}.${module[1]}.${layer[3]}` : stored;
}

/** BERT's canonical name as DistilBERT saves it. */
export function distilBertName(canonical: string): string {
  const head = HEAD_AS_DISTILBERT.get(canonical);
  if (head !== undefined) return head;
  if (canonical.startsWith('bert.embeddings.')) return `distilbert.${canonical.slice('bert.'.length)}`;
  const layer = BERT_LAYER_NAME.exec(canonical);
  const module = layer && LAYER.find(([, bert]) => bert === layer[2]);
  return module ? `distilbert.transformer.layer.${layer[1]}.${module[0]}.${layer[3]}` : canonical;
}
