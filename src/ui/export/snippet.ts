/** The code that loads an exported folder (Python with transformers, or JavaScript with transformers.js), for the Export panel's copy box. */
import type { Task } from '../../worker/protocol';

/**
 * `folder` is where the user unzipped the export. Classification uses the text-classification pipeline
 * (the folder's config carries id2label); masked LM uses fill-mask with the tokenizer's mask token; token
 * classification the token-classification pipeline, which joins B-/I- word pieces into entities ("simple"); question
 * answering the question-answering pipeline, which finds the best span of the context over its windows.
 */
export function pythonSnippet(task: Task, folder: string, regression = false): string {
  const dir = JSON.stringify(folder);
  if (task === 'mlm') {
    return loadAndUse('AutoModelForMaskedLM', dir, [
      'fill = pipeline("fill-mask", model=model, tokenizer=tokenizer)',
      'print(fill(f"The soup needs more {tokenizer.mask_token}."))',
    ]);
  }
  if (task === 'ner') {
    return loadAndUse('AutoModelForTokenClassification', dir, [
      'ner = pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="simple")',
      'print(ner("Maria Lindqvist joined Helix Motors in Lisbon."))',
    ]);
  }
  if (task === 'qa') {
    return loadAndUse('AutoModelForQuestionAnswering', dir, [
      'qa = pipeline("question-answering", model=model, tokenizer=tokenizer)',
      'print(qa(question="Who built the lighthouse?", context="The lighthouse was built in 1871 by Ada Brennan."))',
    ]);
  }
  // Regression heads output the value itself: no softmax over one logit
  const apply = regression ? ', function_to_apply="none"' : '';
  return loadAndUse('AutoModelForSequenceClassification', dir, [
    `classify = pipeline("text-classification", model=model, tokenizer=tokenizer${apply})`,
    'print(classify(["What a great day!", "That was a waste of money."]))',
  ]);
}

/**
 * A LoRA adapter loaded with PEFT on the checkpoint it was trained from (`base`, a Hub id or the studio's name for
 * a local model): PeftModel puts the adapters and the saved head on the base model, built with the head's size.
 */
export function peftSnippet(task: Task, folder: string, base: string, numLabels: number): string {
  const modelClass = task === 'ner' ? 'AutoModelForTokenClassification' : 'AutoModelForSequenceClassification';
  return [
    `from peft import PeftModel`,
    `from transformers import ${modelClass}, AutoTokenizer`,
    '',
    `base = ${JSON.stringify(base)}  # the model the adapter was trained on: a Hub id or its folder`,
    `adapter_dir = ${JSON.stringify(folder)}  # the unzipped adapter`,
    'tokenizer = AutoTokenizer.from_pretrained(base)',
    `model = PeftModel.from_pretrained(${modelClass}.from_pretrained(base, num_labels=${numLabels}), adapter_dir)`,
    'model = model.merge_and_unload()  # optional: one plain model, as the studio\'s Export model writes it',
    '',
  ].join('\n');
}

/** The export loaded with `modelClass` and its tokenizer from `dir` (a Python string literal), then `use`. */
function loadAndUse(modelClass: string, dir: string, use: string[]): string {
  return [
    `from transformers import ${modelClass}, AutoTokenizer, pipeline`,
    '',
    `model_dir = ${dir}  # the unzipped export`,
    'tokenizer = AutoTokenizer.from_pretrained(model_dir)',
    `model = ${modelClass}.from_pretrained(model_dir)`,
    '',
    ...use,
    '',
  ].join('\n');
}

/** The folder a zip unpacks to by default: its name without ".zip". */
export function folderName(zipName: string): string {
  return zipName.replace(/\.zip$/i, '') || 'bert-studio-model';
}

/**
 * The JavaScript that runs a web export with transformers.js, which loads `folder` from the site's own files:
 * the same pipelines as in Python, and for regression the model's raw output (the pipeline would softmax it).
 */
export function webSnippet(task: Task, folder: string, regression = false): string {
  const model = JSON.stringify(folder);
  const setup = [
    `// Serve the unzipped folder with your site, as /models/${folder}/`,
    "env.localModelPath = '/models/';",
    'env.allowRemoteModels = false;',
    '',
  ];
  if (regression) {
    return [
      "import { AutoModelForSequenceClassification, AutoTokenizer, env } from '@huggingface/transformers';",
      '',
      ...setup,
      `const tokenizer = await AutoTokenizer.from_pretrained(${model});`,
      `const model = await AutoModelForSequenceClassification.from_pretrained(${model});`,
      "const { logits } = await model(tokenizer(['What a great day!', 'That was a waste of money.'], { padding: true }));",
      'console.log(logits.tolist());',
      '',
    ].join('\n');
  }
  const [kind, input] = task === 'mlm'
    ? ['fill-mask', '`The soup needs more ${run.tokenizer.mask_token}.`']
    : task === 'qa'
      ? ['question-answering', "'Who built the lighthouse?', 'The lighthouse was built in 1871 by Ada Brennan.'"]
      : ['text-classification', "['What a great day!', 'That was a waste of money.']"];
  return [
    "import { env, pipeline } from '@huggingface/transformers';",
    '',
    ...setup,
    `const run = await pipeline('${kind}', ${model});`,
    `console.log(await run(${input}));`,
    '',
  ].join('\n');
}
