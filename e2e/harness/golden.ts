// The golden checks of tools/reference/goldenCheck.ts in the browser, on a chosen tfjs backend, with the
// fixtures fetched from the Vite dev server (which serves the repository).
import { initBackend, type BackendName } from '../../src/kernels/backend';
import { runGoldenChecks, type GoldenReport } from '../../tools/reference/goldenCheck';

export async function goldenCheck(fixture: string, backend: BackendName): Promise<GoldenReport> {
  await initBackend(backend);
  return runGoldenChecks(async (name) => {
    const response = await fetch(`/tools/reference/fixtures/${fixture}/${name}`);
    if (!response.ok) throw new Error(`fixture ${fixture}/${name}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  });
}
