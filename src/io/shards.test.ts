import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../tools/testing/fixtures';
import type { Progress } from '../progress';
import { loadModelFiles, localSource } from './modelSource';
import { readSafetensors, writeSafetensors, type TensorToWrite } from './safetensors';
import { parseShardIndex, readShards, SHARD_INDEX } from './shards';

const fixture = (file: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(join(FIXTURES_DIR, 'base', file)));

/** The base fixture's checkpoint as save_pretrained shards it: the tensors split over `count` files, with the index. */
function sharded(count: number) {
  const tensors = [...readSafetensors(fixture('model.safetensors')).tensors];
  const files: Record<string, Uint8Array<ArrayBuffer>> = {};
  const weightMap: Record<string, string> = {};
  let totalSize = 0;
  for (let shard = 0; shard < count; shard++) {
    const file = `model-${String(shard + 1).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.safetensors`;
    const part = new Map<string, TensorToWrite>();
    tensors.forEach(([name, entry], i) => {
      if (i % count !== shard) return;
      part.set(name, { shape: entry.shape, data: entry.data as Float32Array });
      weightMap[name] = file;
      totalSize += entry.data.byteLength;
    });
    files[file] = writeSafetensors(part);
  }
  const index = JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap });
  return { files, index, tensors };
}

describe('sharded checkpoints', () => {
  it('load as one checkpoint, every shard fetched, with byte progress over them all from the first', async () => {
    const { files, index, tensors } = sharded(3);
    const source = localSource(
      new Map<string, Blob>([
        ['config.json', new Blob([fixture('config.json')])],
        ['vocab.txt', new Blob([fixture('vocab.txt')])],
        [SHARD_INDEX, new Blob([index])],
        ...Object.entries(files).map(([name, bytes]): [string, Blob] => [name, new Blob([bytes])]),
      ]),
      'sharded-bert',
    );
    const events: Progress[] = [];
    const loaded = await loadModelFiles(source, (p) => events.push(p));
    expect('index' in loaded.weights && [...loaded.weights.shards.keys()]).toEqual(Object.keys(files));
    const merged = 'index' in loaded.weights ? readShards(loaded.weights.index, loaded.weights.shards) : null;
    expect(new Set(merged!.keys())).toEqual(new Set(tensors.map(([name]) => name)));
    for (const [name, entry] of tensors) expect(merged!.get(name)!.data, name).toEqual(entry.data);

    const shardEvents = events.filter((e) => e.item?.startsWith('model-'));
    const bytes = Object.values(files).reduce((sum, f) => sum + f.length, 0);
    const first = shardEvents[0];
    // From the first shard's first event the total already covers every shard (their tensors; headers come on top).
    expect(first.total!).toBeGreaterThan(bytes * 0.9);
    expect(shardEvents.every((e, i) => i === 0 || e.loaded >= shardEvents[i - 1].loaded)).toBe(true);
    expect(events.at(-1)!.loaded).toBe(events.at(-1)!.total);
  });

  it('refuse an index whose shards would leave the folder or are not safetensors, before any shard is read', () => {
    for (const file of ['../model.safetensors', 'sub/model.safetensors', 'pytorch_model.bin', '']) {
      expect(() => parseShardIndex(JSON.stringify({ weight_map: { a: file } })), file).toThrow(expect.objectContaining({ kind: 'bad-index' }));
    }
    expect(() => parseShardIndex('{')).toThrow(/model\.safetensors\.index\.json: not valid JSON/);
    expect(() => parseShardIndex('{"metadata": {}}')).toThrow(/has no "weight_map" object/);
    expect(() => parseShardIndex('{"weight_map": {}}')).toThrow(/maps no tensor/);
    expect(parseShardIndex('{"weight_map": {"a": "x.safetensors", "b": "y.safetensors", "c": "x.safetensors"}}')).toMatchObject({
      shards: ['x.safetensors', 'y.safetensors'],
      totalSize: null,
    });
  });

  it('refuse shards that disagree with the index: a tensor elsewhere, unlisted, or missing', () => {
    const { files, index } = sharded(2);
    const [a, b] = Object.keys(files);
    const parsed = parseShardIndex(index);
    const shards = new Map(Object.entries(files));
    const moved = parseShardIndex(index.replace(`"bert.pooler.dense.weight":"${parsed.weightMap.get('bert.pooler.dense.weight')}"`, `"bert.pooler.dense.weight":"${parsed.weightMap.get('bert.pooler.dense.weight') === a ? b : a}"`));
    expect(() => readShards(moved, shards)).toThrow(/tensor bert\.pooler\.dense\.weight is in .* but the index puts it in/);
    const json = JSON.parse(index) as { weight_map: Record<string, string> };
    delete json.weight_map['classifier.bias'];
    expect(() => readShards(parseShardIndex(JSON.stringify(json)), shards)).toThrow(/holds classifier\.bias, which the index does not list/);
    const extra = JSON.parse(index) as { weight_map: Record<string, string> };
    extra.weight_map['bert.extra.weight'] = a;
    expect(() => readShards(parseShardIndex(JSON.stringify(extra)), shards)).toThrow(/1 tensor\(s\) the index lists are in no shard, e.g\. bert\.extra\.weight/);
  });
});
