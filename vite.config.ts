import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // Scan every entry, the worker included, so no dependency is discovered (and the page reloaded) mid-run.
  optimizeDeps: {
    entries: ['index.html', 'e2e/harness/index.html', 'tools/cli/page.html', 'tools/bench/page.html', 'src/worker/engine.worker.ts'],
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
  server: {
    // The e2e harness pages live under e2e/ and read fixtures under tools/.
    fs: { allow: ['.'] },
  },
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
