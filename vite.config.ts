import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy, hubEndpointsFromEnv } from './tools/csp';
import { CROSS_ORIGIN_ISOLATION } from './tools/isolation';

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
  worker: {
    format: 'es',
    // tfjs-wasm starts its threads from the source text of its own factory function (`factory.toString()` in a
    // blob: worker), so that function must stand alone once minified. Compression breaks that: it drops the
    // `typeof _scriptDir !== 'undefined'` guards around variables of the enclosing scope, and the threads die on
    // "e is not defined". Renaming alone keeps the function self-contained.
    rolldownOptions: { output: { minify: { compress: false, mangle: true } } },
  },
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
    headers: { 'Content-Security-Policy': contentSecurityPolicy({ dev: true, hubEndpoints }), ...CROSS_ORIGIN_ISOLATION },
  },
  preview: {
    headers: { 'Content-Security-Policy': productionPolicy, ...CROSS_ORIGIN_ISOLATION },
  },
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
