import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './tools/chromium';

const DEV_PORT = 5199;
const BUILT_PORT = 5198;
/**
 * Specs that measure what a user of `npm start` gets: the production build, served by `vite preview`. React's
 * development build (StrictMode renders twice, dev-only checks) is several times slower, which would measure the
 * tooling rather than the studio. Every other spec runs on the dev server, whose harness pages and fixtures
 * are not part of the build.
 */
const BUILT_SPECS = ['**/scale.spec.ts', '**/journey.spec.ts', '**/isolation.spec.ts'];

export default defineConfig({
  testDir: 'e2e',
  // SwiftShader runs WebGPU on the CPU: one test at a time, with room for slow kernels.
  workers: 1,
  timeout: 300_000,
  expect: { timeout: 60_000 },
  outputDir: 'test-results/playwright',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'dev', testIgnore: BUILT_SPECS, use: { baseURL: `http://127.0.0.1:${DEV_PORT}` } },
    { name: 'built', testMatch: BUILT_SPECS, use: { baseURL: `http://127.0.0.1:${BUILT_PORT}` } },
  ],
  webServer: [
    {
      command: `npx vite --port ${DEV_PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${DEV_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
    {
      // Always built afresh: a preview left running would serve an older build.
      command: `npx vite build --outDir test-results/dist && npx vite preview --outDir test-results/dist --port ${BUILT_PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${BUILT_PORT}`,
      reuseExistingServer: false,
      timeout: 180_000,
    },
  ],
});
