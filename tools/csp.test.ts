import { createHash } from 'node:crypto';
import react from '@vitejs/plugin-react';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, hubEndpointsFromEnv } from './csp';

/** The policy as directive → sources. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
}

describe('contentSecurityPolicy', () => {
  it('allows scripts from the app only, plus WebAssembly compilation and the blob: threads of tfjs-wasm', () => {
    const policy = directives(contentSecurityPolicy({ dev: false }));
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:']);
    expect(policy['worker-src']).toEqual(["'self'", 'blob:']);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'self'"]);
  });

  it('lets downloads reach the Hub and the hosts it redirects files to, and nothing local in production', () => {
    const connect = directives(contentSecurityPolicy({ dev: false }))['connect-src'];
    expect(connect).toEqual(["'self'", 'https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co']);
  });

  it('in development, allows the React refresh preamble by its hash, injected styles, and loopback hubs', () => {
    const policy = directives(contentSecurityPolicy({ dev: true }));
    const preamble = react.preambleCode.replace('__BASE__', '/');
    expect(policy['script-src']).toContain(`'sha256-${createHash('sha256').update(preamble).digest('base64')}'`);
    expect(policy['script-src']).not.toContain("'unsafe-inline'");
    expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy['connect-src']).toEqual(expect.arrayContaining(['http://127.0.0.1:*', 'http://localhost:*']));
  });

  it('adds Hub mirrors by origin', () => {
    const connect = directives(contentSecurityPolicy({ dev: false, hubEndpoints: ['https://hf-mirror.com/some/path/', 'http://10.0.0.5:8080'] }))['connect-src'];
    expect(connect).toEqual(expect.arrayContaining(['https://hf-mirror.com', 'http://10.0.0.5:8080']));
  });

  it('reads mirrors from HUB_ENDPOINTS and refuses what is not an http(s) URL', () => {
    expect(hubEndpointsFromEnv({ HUB_ENDPOINTS: 'https://a.example, https://b.example:8443/x' })).toEqual(['https://a.example', 'https://b.example:8443/x']);
    expect(hubEndpointsFromEnv({})).toEqual([]);
    expect(() => contentSecurityPolicy({ dev: false, hubEndpoints: ["https://x.example; script-src 'unsafe-inline'"] })).toThrow(/http\(s\) URL/);
    expect(() => contentSecurityPolicy({ dev: false, hubEndpoints: ['javascript:alert(1)'] })).toThrow(/http\(s\) URL/);
  });
});
