import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../src/io/safetensors';
import { CHUNK_BYTES, writeExportFiles, type ChunkReader } from './writeExport';

const reader = (files: Record<string, Uint8Array>): ChunkReader => async (name, offset, length) => files[name].subarray(offset, offset + length);
const sizes = (files: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, bytes.length]));

describe('writeExportFiles', () => {
  it('writes files larger than one chunk byte for byte and checks them', async () => {
    const weights = writeSafetensors(new Map([['w', { shape: [CHUNK_BYTES / 2], data: Float32Array.from({ length: CHUNK_BYTES / 2 }, (_, i) => i) }]]));
    const files = { 'model.safetensors': weights, 'config.json': new TextEncoder().encode('{"model_type": "bert"}') };
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    await writeExportFiles(dir, sizes(files), reader(files));
    expect(weights.length).toBeGreaterThan(2 * CHUNK_BYTES);
    expect(readFileSync(join(dir, 'model.safetensors')).equals(Buffer.from(weights))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'model.safetensors']);
  });

  it("writes the web export's onnx/ subfolder", async () => {
    const files = { 'config.json': new TextEncoder().encode('{}'), 'onnx/model.onnx': Uint8Array.from([8, 8]) };
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    await writeExportFiles(dir, sizes(files), reader(files));
    expect(readdirSync(join(dir, 'onnx'))).toEqual(['model.onnx']);
    expect([...readFileSync(join(dir, 'onnx', 'model.onnx'))]).toEqual([8, 8]);
  });

  it('refuses a file that came back short, and leaves no file under the final name', async () => {
    const weights = writeSafetensors(new Map([['w', { shape: [8], data: new Float32Array(8) }]]));
    const files: Record<string, Uint8Array> = { 'model.safetensors': weights };
    const short: ChunkReader = async (name, offset, length) => files[name].subarray(offset, offset + length - 1);
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    await expect(writeExportFiles(dir, sizes(files), short)).rejects.toThrow(/model\.safetensors: wrote \d+ bytes, expected \d+/);
    expect(readdirSync(dir)).not.toContain('model.safetensors');
  });

  it('refuses weights whose header does not account for every byte, and JSON that does not parse', async () => {
    const weights = writeSafetensors(new Map([['w', { shape: [8], data: new Float32Array(8) }]]));
    const padded = new Uint8Array(weights.length + 4);
    padded.set(weights);
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    await expect(writeExportFiles(dir, { 'model.safetensors': padded.length }, reader({ 'model.safetensors': padded }))).rejects.toThrow(/tensors end at byte/);
    const json = { 'config.json': new TextEncoder().encode('{"model_type": ') };
    await expect(writeExportFiles(dir, sizes(json), reader(json))).rejects.toThrow(/config\.json: is not valid JSON/);
  });
});
