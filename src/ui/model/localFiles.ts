/**
 * Which of a dropped folder's files a BERT model needs. Only those are read into memory: a Hub snapshot
 * often also holds PyTorch, TF, Flax and ONNX weights of the same size as the safetensors file.
 */

/** Files the engine reads (see io/modelSource loadModelFiles); everything else in the folder is skipped. */
export const MODEL_FILE_NAMES = [
  'config.json',
  'vocab.txt',
  'tokenizer.json',
  'vocab.json',
  'merges.txt',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'model.safetensors',
  'model.safetensors.index.json',
] as const;

/** The shards save_pretrained writes beside model.safetensors.index.json. */
const SHARD = /^model-\d+-of-\d+\.safetensors$/;

export class ModelFilesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFilesError';
  }
}

export interface PickedFile<F> {
  /** The file's name within the model folder, e.g. "config.json". */
  name: string;
  file: F;
}

/**
 * Picks the model files from paths such as "bert/config.json" (a folder pick) or "config.json" (a drop).
 * When several folders hold the same name, the shallowest wins. Throws ModelFilesError naming what is missing.
 */
export function pickModelFiles<F>(files: readonly { path: string; file: F }[]): PickedFile<F>[] {
  const best = new Map<string, { depth: number; file: F }>();
  for (const { path, file } of files) {
    const parts = path.split('/').filter(Boolean);
    const name = parts.at(-1);
    if (!name || !((MODEL_FILE_NAMES as readonly string[]).includes(name) || SHARD.test(name))) continue;
    const previous = best.get(name);
    if (!previous || parts.length < previous.depth) best.set(name, { depth: parts.length, file });
  }
  const names = new Set(best.keys());
  const missing: string[] = [];
  if (!names.has('config.json')) missing.push('config.json');
  if (!names.has('vocab.txt') && !names.has('tokenizer.json') && !(names.has('vocab.json') && names.has('merges.txt'))) {
    missing.push('vocab.txt or tokenizer.json');
  }
  if (!names.has('model.safetensors') && !names.has('model.safetensors.index.json')) missing.push('model.safetensors');
  if (missing.length > 0) {
    const all = files.map((f) => f.path.split('/').at(-1) ?? '');
    const hint = all.some((n) => n === 'pytorch_model.bin' || n === 'tf_model.h5')
      ? ' Only safetensors weights can be read: convert pytorch_model.bin with `model.save_pretrained(dir, safe_serialization=True)`.'
      : '';
    throw new ModelFilesError(`The model folder lacks ${missing.join(', ')}.${hint}`);
  }
  return [...best].map(([name, { file }]) => ({ name, file }));
}

/** A browser File's path inside a picked folder, or its bare name when dropped on its own. */
export function filePath(file: File): string {
  return file.webkitRelativePath || file.name;
}

/** The picked model files by the names loadModel({ kind: 'local' }) takes; the Files themselves, unread. */
export function modelFiles(files: readonly File[]): Record<string, File> {
  const picked = pickModelFiles(files.map((file) => ({ path: filePath(file), file })));
  return Object.fromEntries(picked.map(({ name, file }) => [name, file]));
}

export function isZip(file: File): boolean {
  return /\.zip$/i.test(file.name);
}
