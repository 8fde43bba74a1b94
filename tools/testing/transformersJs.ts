// Test helper: transformers.js pointed at a temporary folder of local models, as the web-export tests run it.
import { env } from '@huggingface/transformers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Registers the test file's hooks: transformers.js reads models from a fresh temporary folder only (no network, no
 * cache), which is removed after the file. Returns the folder, known once the hooks have run.
 */
export function localTransformersModels(prefix: string): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = dir;
    env.useFSCache = false;
    env.useBrowserCache = false;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
