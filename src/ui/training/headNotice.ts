/**
 * What the user is told before a masked-LM run on weights without an MLM head (a fine-tuned classifier, or a
 * checkpoint saved without one): where the head will come from, since a random one makes perplexity and
 * fill-mask start from nothing.
 */
import type { ModelSummary, Task } from '../../worker/protocol';

export function headNotice(task: Task, model: Pick<ModelSummary, 'heads' | 'checkpointHeads' | 'source'>): string | null {
  if (task !== 'mlm' || model.heads.mlm) return null;
  if (model.checkpointHeads.mlm) {
    return `The current weights have no masked-LM head (they were fine-tuned for classification). Training takes the MLM head from the pretrained checkpoint ${model.source}, so fill-mask starts from what it learned there.`;
  }
  return `Neither the current weights nor the checkpoint ${model.source} have a masked-LM head: training starts one from random weights, so perplexity and fill-mask begin from nothing. To adapt a model's language knowledge, load a checkpoint saved with its MLM head (…ForMaskedLM or …ForPreTraining).`;
}
