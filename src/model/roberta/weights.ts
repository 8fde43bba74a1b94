/**
 * RoBERTa's tensor names ↔ the shared encoder's, as HF's RobertaModel, RobertaForMaskedLM,
 * RobertaForSequenceClassification and RobertaForTokenClassification save them (XLM-RoBERTa's classes save the
 * same names). The encoder is BERT's under `roberta.`; `lm_head` is the MLM head (`dense`, `layer_norm`, the
 * `decoder` tied to the word embeddings, `bias`, which the decoder's bias is tied to); RobertaClassificationHead's
 * `dense` is the shared pooler and its `out_proj` the classifier. RobertaModel's own `roberta.pooler` is the shared
 * pooler too: the one place a dense layer on `<s>` lives, saved as the pooler or the head's `dense` by what else the
 * weights carry (robertaName).
 */
import { classifiesTokens, type BertArchitecture } from '../bert/params';

const HEADS: ReadonlyArray<readonly [string, string]> = [
  ['classifier.dense.weight', 'bert.pooler.dense.weight'],
  ['classifier.dense.bias', 'bert.pooler.dense.bias'],
  ['classifier.out_proj.weight', 'classifier.weight'],
  ['classifier.out_proj.bias', 'classifier.bias'],
  ['lm_head.dense.weight', 'cls.predictions.transform.dense.weight'],
  ['lm_head.dense.bias', 'cls.predictions.transform.dense.bias'],
  ['lm_head.layer_norm.weight', 'cls.predictions.transform.LayerNorm.weight'],
  ['lm_head.layer_norm.bias', 'cls.predictions.transform.LayerNorm.bias'],
  ['lm_head.decoder.weight', 'cls.predictions.decoder.weight'],
  ['lm_head.bias', 'cls.predictions.bias'],
];
const AS_BERT = new Map<string, string>([...HEADS, ['lm_head.decoder.bias', 'cls.predictions.bias']]);
const AS_ROBERTA = new Map(HEADS.map(([roberta, bert]) => [bert, roberta]));
const ENCODER = /^(embeddings|encoder|pooler)\./;

/** A stored RoBERTa name (with or without the `roberta.` prefix) as BERT's; a name it does not know is kept. */
export function bertName(stored: string): string {
  const head = AS_BERT.get(stored);
  if (head !== undefined) return head;
  const name = stored.startsWith('roberta.') ? stored.slice('roberta.'.length) : stored;
  return ENCODER.test(name) ? `bert.${name}` : stored;
}

/**
 * BERT's canonical name as RoBERTa saves it in the class the architecture makes: the pooler is
 * RobertaClassificationHead's `dense` beside a sequence classifier and RobertaModel's `roberta.pooler` otherwise;
 * a token classifier is a plain `classifier`, not the head's `out_proj`. Without an architecture, names read as
 * RobertaForSequenceClassification's (the class whose names a load report most often lists).
 */
export function robertaName(canonical: string, architecture: BertArchitecture = { pooler: true, mlm: false, classifier: true }): string {
  const sequenceHead = architecture.classifier && !classifiesTokens(architecture);
  if (canonical.startsWith('bert.pooler.') && !sequenceHead) return `roberta.${canonical.slice('bert.'.length)}`;
  if (canonical.startsWith('classifier.') && !sequenceHead) return canonical;
  const head = AS_ROBERTA.get(canonical);
  if (head !== undefined) return head;
  return canonical.startsWith('bert.') && ENCODER.test(canonical.slice('bert.'.length)) ? `roberta.${canonical.slice('bert.'.length)}` : canonical;
}
