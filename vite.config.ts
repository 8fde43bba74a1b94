import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy, hubEndpointsFromEnv } from './tools/csp';

const hubEndpoints = hubEndpointsFromEnv();
const productionPolicy = contentSecurityPolicy({ dev: false, hubEndpoints });

export default defineConfig({
  plugins: [
    react(),
    {
      // Built pages carry the policy themselves, for hosts that send no headers; the dev server sends its own.
      name: 'content-security-policy-meta',
      apply: 'build',
      transformIndexHtml: () => [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: productionPolicy }, injectTo: 'head-prepend' },
      ],
    },
  ],
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
    headers: { 'Content-Security-Policy': contentSecurityPolicy({ dev: true, hubEndpoints }) },
  },
  preview: {
    headers: { 'Content-Security-Policy': productionPolicy },
  },
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
