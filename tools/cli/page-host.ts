import { resolve } from 'node:path';
import { launchStudioBrowser } from '../studioBrowser';
import { startHubServer } from '../testing/hubServer';
import type { BackendChoice, CliCommand, ModelRef } from './args';
import type { CliRequest, CliResult, PredictionLine, TextFile } from './protocol';
import type { ChunkReader } from './writeExport';

/** The repo id under which the CLI serves a model folder from disk to the page. */
const LOCAL_REPO = 'local/model';

/** The files a command reads, as text (export-onnx reads none). */
export interface CommandInputs {
  data?: TextFile;
  valData?: TextFile;
  predictData?: TextFile;
  trainData?: TextFile;
}

export interface EnginePage {
  /** Runs one command; a failed run may still carry files (the weights it kept), so errors come back, not thrown. */
  run(command: Exclude<CliCommand, { kind: 'help' }>, inputs: CommandInputs): Promise<{
    error?: string;
    /** Exported file name → size; read them with readChunk. */
    files?: Record<string, number>;
    lines?: PredictionLine[];
    metrics?: unknown;
  }>;
  readChunk: ChunkReader;
  close(): Promise<void>;
}

/**
 * Serves the studio's sources with Vite, opens the CLI page in headless Chromium and returns a handle that
 * runs one command through the engine worker, printing its progress lines to stderr (stdout is for results).
 */
export async function openEnginePage(options: { backend: BackendChoice; modelDir?: string; hubEndpoint?: string }): Promise<EnginePage> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const browser = await launchStudioBrowser({ hubEndpoints: options.hubEndpoint === undefined ? [] : [options.hubEndpoint] });
    closers.push(() => browser.close());
    let endpoint: string | undefined;
    if (options.modelDir) {
      // Only the CLI's own page may read the user's files, not any other page open on this machine.
      const hub = await startHubServer({ [LOCAL_REPO]: resolve(options.modelDir) }, { allowOrigin: browser.origin });
      closers.push(() => hub.close());
      endpoint = hub.endpoint;
    }
    const page = await browser.open('tools/cli/page.html', {
      ready: 'cliEngine',
      expose: { cliLog: (line: string) => console.error(line) },
    });

    return {
      async run(command, inputs) {
        const request: CliRequest = {
          command: { ...command, model: pageModel(command.model, endpoint) },
          backend: options.backend,
          ...inputs,
        };
        return page.evaluate((req): Promise<CliResult> => window.cliEngine.run(req), request);
      },
      async readChunk(name, offset, length) {
        const b64 = await page.evaluate(([n, o, l]) => window.cliEngine.readChunk(n, o, l), [name, offset, length] as const);
        return Buffer.from(b64, 'base64');
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function pageModel(model: ModelRef, localEndpoint: string | undefined): ModelRef {
  if (model.kind !== 'dir') return model;
  return { kind: 'hub', repo: LOCAL_REPO, endpoint: localEndpoint, revision: 'main' };
}
