// Browser-side entry for e2e tests that exercise the engine directly (no UI): each export of
// `harness` is called from a Playwright test with page.evaluate.
import * as tf from '@tensorflow/tfjs';
import { webgpuAdapterInfo } from '../../src/kernels/adapter';
import { initBackend, type BackendName } from '../../src/kernels/backend';

const harness = {
  async backendCheck(name: BackendName) {
    const adapter = await webgpuAdapterInfo();
    const info = await initBackend(name);
    const sum = await tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3]), tf.tensor1d([10, 20, 30]))).data();
    return { adapter, backend: tf.getBackend(), info, sum: Array.from(sum) };
  },
  goldenCheck: (fixture: string, backend: BackendName) => import('./golden').then((m) => m.goldenCheck(fixture, backend)),
  engine: () => import('./engine'),
  /** The page's own tfjs, for checks that drive kernels directly: a second instance would have its own registry. */
  tf,
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}

window.harness = harness;
document.getElementById('status')!.textContent = 'ready';
