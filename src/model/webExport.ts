/**
 * "Export for the web": a model's current weights as the folder transformers.js loads (`from_pretrained` on a
 * path or repo holding it): config.json, the tokenizer (tokenizer.json, which transformers.js reads, beside the
 * slow tokenizer's files, as every export writes it), onnx/model.onnx, and optionally onnx/model_quantized.onnx
 * with int8 MatMul weights (what transformers.js loads as `dtype: 'q8'`, its default on wasm).
 */
import { encodeModel } from '../io/onnx/graph';
import { quantizeDynamic } from '../io/onnx/quantize';
import type { Tokenizer } from '../tokenizer';
import type { BertConfig } from './bert/config';
import { bertOnnxModel } from './bert/onnx';
import type { BertParams } from './bert/params';
import { exportBertWeights } from './bert/weights';
import { configAndTokenizerFiles, exportedConfig } from './pretrained';

export const ONNX_MODEL = 'onnx/model.onnx';
export const ONNX_MODEL_QUANTIZED = 'onnx/model_quantized.onnx';

export interface WebExportOptions {
  /** Also write onnx/model_quantized.onnx. */
  quantized: boolean;
}

/** The web folder's files by path; the weights are checked finite, as for the Hugging Face export. */
export async function saveForWeb(
  model: { params: BertParams; config: BertConfig },
  tokenizer: Tokenizer,
  options: WebExportOptions,
): Promise<Record<string, Uint8Array>> {
  let config = exportedConfig(model);
  if (!options.quantized) {
    // transformers.js takes the quantized model by default on wasm: without one, point it at model.onnx.
    config = { ...config, extras: { ...config.extras, 'transformers.js_config': { dtype: 'fp32' } } };
  }
  const onnx = bertOnnxModel(config, await exportBertWeights(model.params, model.config.lora), 'BERT Studio');
  const files: Record<string, Uint8Array> = {
    ...configAndTokenizerFiles(config, tokenizer),
    [ONNX_MODEL]: encodeModel(onnx),
  };
  if (options.quantized) files[ONNX_MODEL_QUANTIZED] = encodeModel(quantizeDynamic(onnx).model);
  return files;
}
