/**
 * The errors `src/model` throws for bad input: a config.json it cannot run, a checkpoint that does not fit the
 * config, a batch or label array that does not fit the model. Each message names the culprit; code and field
 * let the UI point at it.
 */

/** A config.json field with a bad type or value, or asking for something this BERT does not implement. */
export class ConfigError extends Error {
  readonly code = 'bad-config';
  /** The config.json key, e.g. "hidden_size". */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`config.json: "${field}" ${problem}`);
    this.name = 'ConfigError';
    this.field = field;
  }
}

/** An adapter_config.json field this studio cannot apply (PEFT's LoRA variants it does not implement, bad values). */
export class AdapterError extends Error {
  readonly code = 'bad-adapter';
  /** The adapter_config.json key, or the adapter_model.safetensors tensor. */
  readonly field: string;

  constructor(file: 'adapter_config.json' | 'adapter_model.safetensors', field: string, problem: string) {
    super(`${file}: "${field}" ${problem}`);
    this.name = 'AdapterError';
    this.field = field;
  }
}

export type WeightsErrorCode = 'shape-mismatch' | 'not-float' | 'not-finite' | 'not-bert' | 'layer-count' | 'unknown-parameter';

/** A checkpoint tensor that cannot become a parameter of the configured model. */
export class WeightsError extends Error {
  readonly code: WeightsErrorCode;
  /** The tensor's name as stored in the checkpoint (or the canonical parameter name). */
  readonly tensor: string | undefined;

  constructor(code: WeightsErrorCode, message: string, tensor?: string) {
    super(message);
    this.name = 'WeightsError';
    this.code = code;
    this.tensor = tensor;
  }
}

/** Token ids, masks, positions or labels that do not fit the model (wrong length, out of range). */
export class ModelInputError extends Error {
  readonly code = 'bad-input';
  /** The offending input, e.g. "inputIds" or "labels". */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'ModelInputError';
    this.field = field;
  }
}
