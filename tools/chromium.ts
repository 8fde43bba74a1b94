import { existsSync } from 'node:fs';

/**
 * How every headless Chromium of the project starts (e2e tests, CLI, benchmarks): the system browser,
 * never a downloaded one, with WebGPU enabled. On machines without a GPU the adapter is SwiftShader.
 */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}: install Debian's chromium or set CHROMIUM_PATH`);
  }
  return path;
}
