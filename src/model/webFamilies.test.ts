/**
 * transformers.js on the ONNX graph of the families whose fixtures carry a `tokenizer.json` (XLM-RoBERTa, ALBERT):
 * it must take the graph for their model_type, feed it from its own reading of the fixture's tokenizer, and give the
 * tfjs model's logits on the same ids. (The studio's "Export for the web" writes these folders once it reads their
 * tokenizers; see webExport.test.ts for the WordPiece families.)
 */
import * as tf from '@tensorflow/tfjs';
import { AutoModelForSequenceClassification, AutoTokenizer, type Tensor } from '@huggingface/transformers';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../tools/testing/fixtures';
import { localTransformersModels } from '../../tools/testing/transformersJs';
import { encodeModel } from '../io/onnx/graph';
import { readSafetensors } from '../io/safetensors';
import type { BertBatch } from './bert/batch';
import { classificationHead } from './bert/heads';
import { bertForward } from './bert/model';
import { bertOnnxModel } from './bert/onnx';
import { loadBertWeights, exportBertWeights } from './bert/weights';
import { familyOf, sharedTensors } from './families';
import { disposeParams } from './params';

const modelsDir = localTransformersModels('web-families-');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** make_roberta_fixture.py's ROWS: a sentence, a pair, a sentence the batch pads. */
const ROWS: [string, string?][] = [['the cat sat on the <mask> and the dog ran'], ['a great movie', 'i love this <mask>!'], ['the <mask> was sad']];

describe('transformers.js on the ONNX export', () => {
  for (const name of ['roberta', 'xlm-roberta', 'albert']) {
    it(`${name}: tokenizes with the fixture's tokenizer.json as the golden ids, and gives the studio's classification logits`, async () => {
      const read = (file: string) => readFileSync(join(FIXTURES_DIR, name, file));
      const json = JSON.parse(read('config.json').toString()) as Record<string, unknown>;
      const family = familyOf(json);
      const parsed = family.parseConfig(json);
      const config = { ...parsed, architectures: [`${json.architectures}`.replace('ForMaskedLM', 'ForSequenceClassification')] };
      const tensors = sharedTensors(family, readSafetensors(new Uint8Array(read('model.safetensors'))).tensors);
      const { params } = loadBertWeights(config, tensors, { pooler: true, mlm: false, classifier: true });
      const folder = join(modelsDir(), name);
      mkdirSync(join(folder, 'onnx'), { recursive: true });
      writeFileSync(join(folder, 'config.json'), JSON.stringify({ ...family.configToJson(config), 'transformers.js_config': { dtype: 'fp32' } }));
      for (const file of ['tokenizer.json', 'tokenizer_config.json']) writeFileSync(join(folder, file), read(file));
      writeFileSync(join(folder, 'onnx/model.onnx'), encodeModel(bertOnnxModel(config, await exportBertWeights(params), 'test')));

      const tokenizer = await AutoTokenizer.from_pretrained(name);
      const model = await AutoModelForSequenceClassification.from_pretrained(name, { dtype: 'fp32' });
      const inputs = tokenizer(['the cat sat on the mat', 'a great movie'], { text_pair: ['the dog ran', 'i love this book!'], padding: true });
      const ids = Int32Array.from(inputs.input_ids.data as BigInt64Array, Number);
      const [batchSize, seqLen] = inputs.input_ids.dims as [number, number];
      expect(batchSize * seqLen).toBeGreaterThan(inputs.attention_mask.data.reduce((a: bigint, b: bigint) => a + b, 0n)); // a padded row
      // The golden rows, as the fixture script wrote their ids: its vocabulary and merges (or pieces) are a real tokenizer's.
      const golden = readSafetensors(new Uint8Array(read('golden.safetensors'))).tensors;
      const mask = parsed.modelType === 'albert' ? '[MASK]' : '<mask>';
      const rows = ROWS.map(([text, pair]) => tokenizer(text.replaceAll('<mask>', mask), { text_pair: pair?.replaceAll('<mask>', mask) }));
      const padded = (name: 'input_ids' | 'token_type_ids', fill: number) =>
        rows.flatMap((row) => {
          const values = Array.from(row[name]!.data as BigInt64Array, Number);
          return [...values, ...new Array<number>(12 - values.length).fill(fill)];
        });
      expect(padded('input_ids', parsed.padTokenId!)).toEqual(Array.from(golden.get('input_ids')!.data));
      // ALBERT keeps BERT's segments (the pair's second text is type 1); RoBERTa's tokenizers give none.
      if (parsed.typeVocabSize > 1) expect(padded('token_type_ids', 0)).toEqual(Array.from(golden.get('token_type_ids')!.data));
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
