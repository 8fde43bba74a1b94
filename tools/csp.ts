/**
 * The studio's Content-Security-Policy, one definition for every place it is sent: the dev server's headers
 * (`npm start`, the e2e tests, the CLI), the preview server's, and a <meta> tag in the built index.html for static
 * hosts that send no headers. A <meta> policy does not reach the workers (they take the policy of their own
 * response), so a host serving `dist/` should send the header as `vite preview` does.
 */
import { createHash } from 'node:crypto';
import react from '@vitejs/plugin-react';

/**
 * The Hub and the hosts it redirects file downloads to: LFS and Xet storage and their CDNs (cdn-lfs*.hf.co,
 * cas-bridge.xethub.hf.co, us.aws.cdn.hf.co, …; the Hub's "downloading behind a firewall" list). Wildcards,
 * because Hugging Face adds and moves these hosts, and a blocked redirect fails the download.
 */
export const HUB_SOURCES = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

/** Local Hub stand-ins (tools/testing/hubServer.ts listens on a free port of 127.0.0.1), allowed in development only. */
const LOOPBACK_SOURCES = ['http://127.0.0.1:*', 'http://localhost:*'];

export interface CspOptions {
  /** For Vite's dev server, which injects an inline script (React refresh) and <style> elements. */
  dev: boolean;
  /** Hub mirrors models may also be downloaded from (the Model panel's "Hub endpoint"), e.g. from HUB_ENDPOINTS. */
  hubEndpoints?: string[];
}

export function contentSecurityPolicy({ dev, hubEndpoints = [] }: CspOptions): string {
  // tfjs-wasm compiles its .wasm binaries in the engine worker; nothing else is evaluated from strings. Its
  // threaded build starts each thread as a worker from a blob: URL, which then imports tfjs-wasm's own script as
  // another blob: (both made by tfjs in the engine worker, from code the studio shipped).
  const scripts = ["'self'", "'wasm-unsafe-eval'", 'blob:', ...(dev ? [reactRefreshPreambleHash()] : [])];
  // Vite's dev server injects each CSS module as a <style> element; the build links one stylesheet. React's
  // `style` props are set through the CSSOM, which the policy does not govern.
  const styles = ["'self'", ...(dev ? ["'unsafe-inline'"] : [])];
  const connect = ["'self'", ...HUB_SOURCES, ...hubEndpoints.map(endpointOrigin), ...(dev ? LOOPBACK_SOURCES : [])];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    `style-src ${styles.join(' ')}`,
    "worker-src 'self' blob:",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** Hub mirrors from `HUB_ENDPOINTS` (comma- or space-separated URLs), for deployments that use one. */
export function hubEndpointsFromEnv(env: Record<string, string | undefined> = process.env): string[] {
  return (env.HUB_ENDPOINTS ?? '').split(/[\s,]+/).filter((endpoint) => endpoint !== '');
}

function endpointOrigin(endpoint: string): string {
  const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new Error(`The Hub endpoint "${endpoint}" is not an http(s) URL`);
  }
  return url.origin;
}

/** @vitejs/plugin-react's inline module script, allowed by its hash rather than by allowing every inline script. */
function reactRefreshPreambleHash(): string {
  const preamble = react.preambleCode.replace('__BASE__', '/');
  return `'sha256-${createHash('sha256').update(preamble).digest('base64')}'`;
}
