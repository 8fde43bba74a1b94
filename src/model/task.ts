/**
 * What a model is fine-tuned for, as the page names it: each task is a head on the encoder (the family's heads.ts
 * module, chosen by its tasks.ts) and a loss (src/train/objective.ts).
 */
/** 'ner': token classification, a tag per word (HF's *ForTokenClassification). */
export type Task = 'classify' | 'mlm' | 'ner';
