/**
 * The Linear layers a LoRA adapter can sit on, by the names the training form and `--lora-targets` use. Free of
 * tfjs: the page checks the training form with it (src/train/defaults.ts).
 */

export type LoraTarget = 'query' | 'key' | 'value' | 'attention.output' | 'ffn';

export const LORA_TARGETS: readonly LoraTarget[] = ['query', 'key', 'value', 'attention.output', 'ffn'];

/** `--lora-targets` / training_args' `loraTargets`: comma-separated targets, e.g. "query,value" (PEFT's BERT default). */
export function parseLoraTargets(text: string): LoraTarget[] {
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !LORA_TARGETS.includes(name as LoraTarget));
  if (unknown.length > 0 || names.length === 0) {
    const problem = names.length === 0 ? 'names no target' : `has ${unknown.map((name) => `"${name}"`).join(', ')}`;
    throw new RangeError(`${problem}; the targets are ${LORA_TARGETS.join(', ')}`);
  }
  return LORA_TARGETS.filter((target) => names.includes(target));
}


export const LORA_A = 'lora_A.weight';
export const LORA_B = 'lora_B.weight';

/** Whether a parameter is one of an adapter's two matrices (`<layer>.lora_A.weight`, `<layer>.lora_B.weight`). */
export function isLoraParam(name: string): boolean {
  return name.endsWith(`.${LORA_A}`) || name.endsWith(`.${LORA_B}`);
}
