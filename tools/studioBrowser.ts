import { chromium, type Browser, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from './chromium';
import { contentSecurityPolicy, hubEndpointsFromEnv } from './csp';

export interface PageOptions {
  /** The page is ready once it has set `window[ready]`. */
  ready: string;
  /** Functions the page may call as `window[name](...)`, exposed before it loads. */
  expose?: Record<string, (...args: never[]) => unknown>;
}

export interface StudioBrowser {
  /** The origin the pages are served from, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** Opens `path` (relative to the repository root) in a new tab and waits until the page is ready. */
  open(path: string, options: PageOptions): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Serves the studio's sources with Vite and starts headless Chromium with WebGPU: the host of the tools that
 * run the engine in a real browser (the CLI, the benchmark). `hubEndpoints` are Hub mirrors the pages may
 * download from, beyond the Hub and loopback servers that the Content-Security-Policy always allows.
 */
export async function launchStudioBrowser(options: { hubEndpoints?: string[] } = {}): Promise<StudioBrowser> {
  const root = resolve(import.meta.dirname, '..');
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    closers.length = 0;
  };
  try {
    const vite: ViteDevServer = await createServer({
      root,
      configFile: resolve(root, 'vite.config.ts'),
      logLevel: 'error',
      // No file watching: a source edit mid-run must not reload the page under a long run.
      server: {
        host: '127.0.0.1',
        port: 0,
        strictPort: false,
        open: false,
        hmr: false,
        watch: null,
        headers: {
          'Content-Security-Policy': contentSecurityPolicy({ dev: true, hubEndpoints: [...hubEndpointsFromEnv(), ...(options.hubEndpoints ?? [])] }),
        },
      },
    });
    await vite.listen();
    closers.push(() => vite.close());
    const baseUrl = vite.resolvedUrls?.local[0];
    if (!baseUrl) throw new Error('the Vite server did not report its address');

    const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    closers.push(() => browser.close());
    return {
      origin: new URL(baseUrl).origin,
      async open(path, options) {
        const page = await browser.newPage();
        page.on('pageerror', (err) => console.error(`[page] ${err.message}`));
        for (const [name, fn] of Object.entries(options.expose ?? {})) await page.exposeFunction(name, fn);
        // Vite transforms every module of a fresh server on this first load: 26–70 s measured on a busy 2-core machine.
        await page.goto(new URL(path, baseUrl).href, { timeout: 120_000 });
        await page.waitForFunction((ready) => ready in window, options.ready, { timeout: 120_000 });
        return page;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
