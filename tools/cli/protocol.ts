// What the CLI's Node side and its page exchange through page.evaluate (JSON-serialisable only).
import type { BackendName } from '../../src/kernels/backend';
import type { TextFile } from '../../src/worker/protocol';
import type { CliCommand, ModelRef } from './args';

export type { TextFile };

export interface CliRequest {
  command: Exclude<CliCommand, { kind: 'help' }> & { model: ModelRef };
  backend: BackendName;
  data: TextFile;
  valData?: TextFile;
}

export interface CliResult {
  error?: string;
  /** Export files, base64-encoded. */
  files?: Record<string, string>;
  lines?: unknown[];
  metrics?: unknown;
}

declare global {
  interface Window {
    cliEngine: { run(request: CliRequest): Promise<CliResult> };
    cliLog(line: string): Promise<void>;
  }
}
