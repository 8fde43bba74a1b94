import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CROSS_ORIGIN_ISOLATION } from './isolation';

describe('cross-origin isolation', () => {
  it('is the same in the service worker for static hosts as from the dev and preview servers', () => {
    // public/isolation-sw.js is served as it is, so it cannot import this module: its copy is checked here.
    const worker = readFileSync(join(import.meta.dirname, '../public/isolation-sw.js'), 'utf8');
    const declared = worker.match(/const ISOLATION = (\{[^}]*\});/)?.[1];
    expect(declared).toBeDefined();
    expect(JSON.parse(declared!.replace(/'/g, '"'))).toEqual(CROSS_ORIGIN_ISOLATION);
  });
});
