/**
 * Sharded safetensors checkpoints, as `save_pretrained` writes models past its shard size: `model.safetensors.index.json`
 * maps every tensor to the shard file holding it (`model-00001-of-00003.safetensors`, …), with the tensors' total
 * byte size. The index is checked before any shard is requested (file names inside the folder, a bounded count), and
 * the shards' tensors against it after: each where the index says, none missing, none twice.
 */
import { ModelSourceError } from './modelSourceError';
import { safePathSegments } from './paths';
import { readSafetensors, type TensorEntry } from './safetensors';

export const SHARD_INDEX = 'model.safetensors.index.json';

/** More shards than any published checkpoint has (bert-large: 1; 70B models: ~30); a larger count is a bad file. */
const MAX_SHARDS = 1024;

export interface ShardIndex {
  /** The shard files, in the order they first appear in the weight map. */
  shards: string[];
  /** Tensor name → its shard file. */
  weightMap: Map<string, string>;
  /** metadata.total_size: the tensors' bytes (headers not included), when the index states it. */
  totalSize: number | null;
}

const bad = (message: string, file = SHARD_INDEX): ModelSourceError => new ModelSourceError('bad-index', `${SHARD_INDEX}: ${message}`, { file });

export function parseShardIndex(text: string): ShardIndex {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw bad(`not valid JSON (${(err as Error).message})`);
  }
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw bad('has no "weight_map" object');
  const weightMap = new Map<string, string>();
  const shards: string[] = [];
  for (const [tensor, file] of Object.entries(map)) {
    if (typeof file !== 'string' || !file.endsWith('.safetensors') || safePathSegments(file)?.length !== 1) {
      throw bad(`tensor ${tensor} is mapped to ${JSON.stringify(file)}, not a .safetensors file beside the index`);
    }
    weightMap.set(tensor, file);
    if (!shards.includes(file)) {
      if (shards.length === MAX_SHARDS) throw bad(`names more than ${MAX_SHARDS} shards`);
      shards.push(file);
    }
  }
  if (shards.length === 0) throw bad('maps no tensor to a shard');
  const size = (json as { metadata?: { total_size?: unknown } }).metadata?.total_size;
  return { shards, weightMap, totalSize: typeof size === 'number' && Number.isFinite(size) && size >= 0 ? size : null };
}

/** The tensors of every shard as one checkpoint, each checked to be where the index puts it. */
export function readShards(index: ShardIndex, shards: ReadonlyMap<string, Uint8Array>): Map<string, TensorEntry> {
  const tensors = new Map<string, TensorEntry>();
  for (const file of index.shards) {
    const bytes = shards.get(file);
    if (!bytes) throw bad(`shard ${file} was not read`, file);
    for (const [name, entry] of readSafetensors(bytes).tensors) {
      const expected = index.weightMap.get(name);
      if (expected !== file) {
        throw bad(expected ? `tensor ${name} is in ${file} but the index puts it in ${expected}` : `${file} holds ${name}, which the index does not list`, file);
      }
      tensors.set(name, entry);
    }
  }
  const missing = [...index.weightMap.keys()].filter((name) => !tensors.has(name));
  if (missing.length > 0) throw bad(`${missing.length} tensor(s) the index lists are in no shard, e.g. ${missing[0]} (in ${index.weightMap.get(missing[0])})`);
  return tensors;
}
