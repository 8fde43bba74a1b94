import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../../kernels/backend';
import { runGoldenChecks, type GoldenReport } from '../../../tools/reference/goldenCheck';

const FIXTURES = join(__dirname, '../../../tools/reference/fixtures');
// bert-tiny-en is the bundled model: regenerate its fixture whenever public/models/bert-tiny-en is re-exported.
const NAMES = ['base', 'regression', 'no-prefix', 'legacy-names', 'tied-decoder', 'no-pooler', 'token-classification', 'question-answering', 'bert-tiny-en', 'distilbert', 'electra', 'roberta', 'xlm-roberta', 'albert', 'lora'];

// A plain Uint8Array copy: a Node Buffer's slice() is a view, which readSafetensors does not expect.
const readFixture = (fixture: string) => async (name: string) => new Uint8Array(await readFile(join(FIXTURES, fixture, name)));

function worst(report: GoldenReport, kind: string): string {
  return Math.max(...report.results.filter((r) => r.kind === kind).map((r) => r.error)).toExponential(2);
}

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`tfjs BERT against the PyTorch golden fixtures (${backend} backend)`, () => {
    // As the studio starts it: on wasm with its own BatchMatMul (src/kernels/wasmMatMul.ts).
    beforeAll(async () => {
      await initBackend(backend);
    });

    for (const fixture of NAMES) {
      it(`${fixture}: outputs and losses within 1e-4, gradients within 1e-3 relative`, async () => {
        const report = await runGoldenChecks(readFixture(fixture));
        expect(report.backend).toBe(backend);
        expect(report.results.filter((r) => !r.pass)).toEqual([]);
        // The families' figures, as docs/MODELS.md quotes them.
        if (['base', 'distilbert', 'electra', 'roberta', 'xlm-roberta', 'albert', 'question-answering'].includes(fixture)) {
          console.log(`${fixture} ${backend}: worst forward ${worst(report, 'forward')}, loss ${worst(report, 'loss')}, gradient ${worst(report, 'gradient')} (relative)`);
        }
      });
    }
  });
}

describe('golden fixture coverage', () => {
  it('base checks every output, both losses and the gradients the issue asks for', async () => {
    await tf.setBackend('cpu');
    const names = (await runGoldenChecks(readFixture('base'))).results.map((r) => r.name);
    expect(names).toEqual([
      'hidden_states.0',
      'hidden_states.1',
      'hidden_states.2',
      'attentions.0',
      'attentions.1',
      'pooled_output',
      'mlm_logits',
      'classification_logits',
      'loss.mlm',
      'grad.mlm.bert.embeddings.word_embeddings.weight',
      'grad.mlm.bert.embeddings.position_embeddings.weight',
      'grad.mlm.bert.embeddings.token_type_embeddings.weight',
      'grad.mlm.bert.encoder.layer.0.attention.self.query.weight',
      'grad.mlm.bert.encoder.layer.1.attention.output.LayerNorm.weight',
      'grad.mlm.cls.predictions.transform.dense.weight',
      'grad.mlm.cls.predictions.bias',
      'loss.classification',
      'grad.classification.bert.embeddings.word_embeddings.weight',
      'grad.classification.bert.embeddings.position_embeddings.weight',
      'grad.classification.bert.embeddings.token_type_embeddings.weight',
      'grad.classification.bert.encoder.layer.0.attention.self.query.weight',
      'grad.classification.bert.encoder.layer.1.attention.output.LayerNorm.weight',
      'grad.classification.bert.pooler.dense.weight',
      'grad.classification.classifier.weight',
    ]);
  });

  it('token-classification checks the token logits, their loss over tagged tokens and its gradients', async () => {
    await tf.setBackend('cpu');
    const names = (await runGoldenChecks(readFixture('token-classification'))).results.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['token_logits', 'loss.tokens', 'grad.tokens.classifier.weight', 'grad.tokens.bert.embeddings.word_embeddings.weight']));
    expect(names).not.toContain('pooled_output');
  });

  it('lora checks every output with the adapters applied and the gradients of both adapter matrices', async () => {
    await tf.setBackend('cpu');
    const names = (await runGoldenChecks(readFixture('lora'))).results.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['hidden_states.2', 'classification_logits', 'loss.classification',
      'grad.classification.bert.encoder.layer.0.attention.self.query.lora_A.weight', 'grad.classification.bert.encoder.layer.1.output.dense.lora_B.weight']));
  });

  it('question-answering checks the start and end logits, their mean cross-entropy and its gradients', async () => {
    await tf.setBackend('cpu');
    const names = (await runGoldenChecks(readFixture('question-answering'))).results.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['qa_logits', 'loss.qa', 'grad.qa.qa_outputs.weight', 'grad.qa.bert.embeddings.word_embeddings.weight']));
    expect(names).not.toContain('pooled_output');
  });

  it('a corrupted golden value fails its check', async () => {
    await tf.setBackend('cpu');
    const read = readFixture('no-pooler');
    const corrupt = async (name: string): Promise<Uint8Array> => {
      const bytes = await read(name);
      if (name !== 'golden.json') return bytes;
      const spec = JSON.parse(new TextDecoder().decode(bytes));
      spec.outputs.hidden_states.reverse(); // compare layer 1 against the embeddings
      return new TextEncoder().encode(JSON.stringify(spec));
    };
    const report = await runGoldenChecks(corrupt);
    expect(report.pass).toBe(false);
    expect(report.results.filter((r) => !r.pass).map((r) => r.name)).toEqual(['hidden_states.1', 'hidden_states.0']);
  });
});
