import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [relative(ROOT, join(dir, entry.name))]);
}

describe('source layout', () => {
  it('has no two modules whose import paths differ only in case (they collide on case-insensitive file systems)', () => {
    // An import names a module without its extension: './freezeMap' would find freezeMap.ts or FreezeMap.tsx.
    const byLowerCase = new Map<string, string[]>();
    for (const path of ['src', 'e2e', 'tools/cli', 'tools/bench', 'tools/testing'].flatMap((dir) => filesUnder(join(ROOT, dir)))) {
      const key = path.replace(/\.(ts|tsx|js|mjs)$/, '').toLowerCase();
      byLowerCase.set(key, [...(byLowerCase.get(key) ?? []), path]);
    }
    expect([...byLowerCase.values()].filter((paths) => paths.length > 1)).toEqual([]);
  });
});
