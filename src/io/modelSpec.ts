/** Where a model comes from, as the page names it, and the source that reads it. */
import { cachedSource } from './hubCache';
import { bundledSource, hubSource, localSource, type ModelSource } from './modelSource';

export type ModelSpec =
  | { kind: 'bundled'; name: string }
  /** token: for gated and private repositories (src/io/modelSource.ts HubOptions.token); held in memory only. */
  | { kind: 'hub'; repo: string; endpoint?: string; revision?: string; token?: string }
  /**
   * A dropped folder or an unpacked zip: file name → its bytes as a Blob (a picked File is one). A Blob posts to
   * the worker by reference, so the page neither reads nor copies a model's bytes, and keeps the same Blobs to load
   * the model again (a backend switch, a restarted worker).
   */
  | { kind: 'local'; files: Record<string, Blob> };

export function sourceFor(spec: ModelSpec, baseUrl: string): ModelSource {
  switch (spec.kind) {
    case 'bundled':
      return bundledSource(spec.name, baseUrl);
    case 'hub':
      // Hub downloads are kept in IndexedDB by commit, so a model is fetched once per commit.
      return cachedSource(hubSource(spec.repo, { endpoint: spec.endpoint, revision: spec.revision, token: spec.token }));
    case 'local':
      return localSource(new Map(Object.entries(spec.files)));
  }
}
