/**
 * What a model is fine-tuned for, as the page names it: each task is a head on the encoder (the family's heads.ts
 * module, chosen by its tasks.ts) and a loss (src/train/objective.ts).
 */
/**
 * 'ner': token classification, a tag per word (HF's *ForTokenClassification); 'qa': extractive question answering,
 * an answer span in a context (HF's *ForQuestionAnswering).
 */
export type Task = 'classify' | 'mlm' | 'ner' | 'qa';
