import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderName, peftSnippet, pythonSnippet, webSnippet } from './snippet';

const python = spawnSync('python3', ['--version']).status === 0;

describe('pythonSnippet', () => {
  it('loads a classifier with the sequence-classification class and pipeline', () => {
    const code = pythonSnippet('classify', 'my-model');
    expect(code).toContain('model_dir = "my-model"');
    expect(code).toContain('AutoTokenizer.from_pretrained(model_dir)');
    expect(code).toContain('AutoModelForSequenceClassification.from_pretrained(model_dir)');
    expect(code).toContain('pipeline("text-classification", model=model, tokenizer=tokenizer)');
    expect(code).not.toContain('MaskedLM');
  });

  it('loads a token classifier with the token-classification class and pipeline', () => {
    const code = pythonSnippet('ner', 'm');
    expect(code).toContain('AutoModelForTokenClassification.from_pretrained(model_dir)');
    expect(code).toContain('pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="simple")');
  });

  it('loads a question-answering model with its class and pipeline', () => {
    const code = pythonSnippet('qa', 'm');
    expect(code).toContain('AutoModelForQuestionAnswering.from_pretrained(model_dir)');
    expect(code).toContain('pipeline("question-answering", model=model, tokenizer=tokenizer)');
  });

  it('runs a question-answering web export in the question-answering pipeline', () => {
    expect(webSnippet('qa', 'm')).toContain("pipeline('question-answering', \"m\")");
  });

  it('turns the softmax off for regression', () => {
    expect(pythonSnippet('classify', 'm', true)).toContain('function_to_apply="none"');
  });

  it('loads a masked LM with fill-mask', () => {
    const code = pythonSnippet('mlm', 'm');
    expect(code).toContain('AutoModelForMaskedLM.from_pretrained(model_dir)');
    expect(code).toContain('pipeline("fill-mask"');
    expect(code).not.toContain('SequenceClassification');
  });

  it('quotes folder names safely', () => {
    expect(pythonSnippet('mlm', 'C:\\models\\"x"')).toContain('model_dir = "C:\\\\models\\\\\\"x\\""');
  });

  it.skipIf(!python)('is valid Python for every task', () => {
    for (const code of [pythonSnippet('classify', 'a"b'), pythonSnippet('classify', 'm', true), pythonSnippet('mlm', 'm')]) {
      const result = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code });
      expect(result.stderr.toString()).toBe('');
      expect(result.status).toBe(0);
    }
  });
});

describe('webSnippet', () => {
  it('runs the pipeline of the task on the folder served with the site, never fetching from the Hub', () => {
    const code = webSnippet('classify', 'my-model');
    expect(code).toContain("env.localModelPath = '/models/';");
    expect(code).toContain('env.allowRemoteModels = false;');
    expect(code).toContain(`pipeline('text-classification', "my-model")`);
    expect(webSnippet('mlm', 'm')).toContain(`pipeline('fill-mask', "m")`);
    expect(webSnippet('mlm', 'm')).toContain('run.tokenizer.mask_token');
  });

  it('reads a regression head\'s raw output rather than a softmax over it', () => {
    const code = webSnippet('classify', 'm', true);
    expect(code).toContain('AutoModelForSequenceClassification.from_pretrained("m")');
    expect(code).not.toContain('pipeline(');
  });

  it('is a valid JavaScript module for every task', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snippet-'));
    try {
      for (const [i, code] of [webSnippet('classify', 'a"b'), webSnippet('classify', 'm', true), webSnippet('mlm', 'm')].entries()) {
        const file = join(dir, `${i}.mjs`);
        writeFileSync(file, code);
        const result = spawnSync(process.execPath, ['--check', file]);
        expect(result.stderr.toString()).toBe('');
        expect(result.status).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('folderName', () => {
  it('strips .zip', () => {
    expect(folderName('bert-studio-classifier-2025.zip')).toBe('bert-studio-classifier-2025');
    expect(folderName('.zip')).toBe('bert-studio-model');
  });
});

describe('peftSnippet', () => {
  it('puts the adapter on its base model with the head’s size, for token classification too', () => {
    const code = peftSnippet('ner', 'bert-studio-ner-lora', 'dslim/bert-base-NER', 9);
    expect(code).toContain('base = "dslim/bert-base-NER"');
    expect(code).toContain('PeftModel.from_pretrained(AutoModelForTokenClassification.from_pretrained(base, num_labels=9), adapter_dir)');
    expect(peftSnippet('classify', 'x', 'bert-tiny-en', 2)).toContain('AutoModelForSequenceClassification.from_pretrained(base, num_labels=2)');
  });
});
