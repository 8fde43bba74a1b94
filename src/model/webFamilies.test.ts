/**
 * transformers.js on the ONNX graph of the families whose fixtures carry a `tokenizer.json` (XLM-RoBERTa, ALBERT):
 * it must take the graph for their model_type, feed it from its own reading of the fixture's tokenizer, and give the
 * tfjs model's logits on the same ids. (The studio's "Export for the web" writes these folders once it reads their
 * tokenizers; see webExport.test.ts for the WordPiece families.)
 */
import * as tf from '@tensorflow/tfjs';
import { AutoModelForSequenceClassification, AutoTokenizer, env, type Tensor } from '@huggingface/transformers';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../tools/testing/fixtures';
import { encodeModel } from '../io/onnx/graph';
import { readSafetensors } from '../io/safetensors';
import type { BertBatch } from './bert/batch';
import { classificationHead } from './bert/heads';
import { bertForward } from './bert/model';
import { bertOnnxModel } from './bert/onnx';
import { loadBertWeights, exportBertWeights } from './bert/weights';
import { familyOf, sharedTensors } from './families';
import { disposeParams } from './params';

let dir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'web-families-'));
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dir;
  env.useFSCache = false;
  env.useBrowserCache = false;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('transformers.js on the ONNX export', () => {
  for (const name of ['xlm-roberta', 'albert']) {
    it(`${name}: tokenizes with the fixture's tokenizer.json and gives the studio's classification logits`, async () => {
      const read = (file: string) => readFileSync(join(FIXTURES_DIR, name, file));
      const json = JSON.parse(read('config.json').toString()) as Record<string, unknown>;
      const family = familyOf(json);
      const parsed = family.parseConfig(json);
      const config = { ...parsed, architectures: [`${json.architectures}`.replace('ForMaskedLM', 'ForSequenceClassification')] };
      const tensors = sharedTensors(family, readSafetensors(new Uint8Array(read('model.safetensors'))).tensors);
      const { params } = loadBertWeights(config, tensors, { pooler: true, mlm: false, classifier: true });
      const folder = join(dir, name);
      mkdirSync(join(folder, 'onnx'), { recursive: true });
      writeFileSync(join(folder, 'config.json'), JSON.stringify({ ...family.configToJson(config), 'transformers.js_config': { dtype: 'fp32' } }));
      for (const file of ['tokenizer.json', 'tokenizer_config.json']) writeFileSync(join(folder, file), read(file));
      writeFileSync(join(folder, 'onnx/model.onnx'), encodeModel(bertOnnxModel(config, await exportBertWeights(params), 'test')));

      const tokenizer = await AutoTokenizer.from_pretrained(name);
      const model = await AutoModelForSequenceClassification.from_pretrained(name, { dtype: 'fp32' });
      const inputs = tokenizer(['the cat sat on the mat', 'a great movie'], { text_pair: ['the dog ran', 'i love this book!'], padding: true });
      const ids = Int32Array.from(inputs.input_ids.data as BigInt64Array, Number);
      const [batchSize, seqLen] = inputs.input_ids.dims as [number, number];
      const pieces = (JSON.parse(read('tokenizer.json').toString()) as { model: { vocab: [string, number][] } }).model.vocab.map(([piece]) => piece);
      const first = parsed.modelType === 'albert' ? '[CLS]' : '<s>'; // from the fixture's template
      expect(Array.from(ids.subarray(0, 4), (id) => pieces[id])).toEqual([first, '▁the', '▁cat', '▁sat']);
      expect(batchSize * seqLen).toBeGreaterThan(inputs.attention_mask.data.reduce((a: bigint, b: bigint) => a + b, 0n)); // a padded row
      const { logits } = (await model(inputs)) as { logits: Tensor };

      const batch: BertBatch = {
        inputIds: ids,
        tokenTypeIds: inputs.token_type_ids ? Int32Array.from(inputs.token_type_ids.data as BigInt64Array, Number) : new Int32Array(ids.length),
        attentionMask: Int32Array.from(inputs.attention_mask.data as BigInt64Array, Number),
        batchSize,
        seqLen,
      };
      const expected = tf.tidy(() => classificationHead(params, config, bertForward(params, config, batch, { training: false }).pooledOutput!, { training: false }).dataSync());
      disposeParams(params);
      await model.dispose();
      const actual = logits.data as Float32Array;
      expect(Math.max(...actual.map((v, i) => Math.abs(v - expected[i])))).toBeLessThan(1e-4);
    });
  }
});
