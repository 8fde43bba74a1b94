// The CLI as a user runs it, for the e2e specs: a child process of `tsx tools/cli/main.ts`, which serves the
// studio with Vite and trains or predicts in its own headless Chromium.
import { expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { openSync, readSync, closeSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/cli/main.ts', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

export function expectSuccess(run: Run): void {
  expect(run.code, `exit code; stderr:\n${run.stderr}`).toBe(0);
}

/**
 * The JSON header of a safetensors file (8 little-endian bytes of length, then the header itself), and the
 * header's length: read from the file's start only, so a file of any size can be checked.
 */
export function safetensorsHeader(path: string): { header: Record<string, unknown>; headerBytes: number } {
  const fd = openSync(path, 'r');
  try {
    const prefix = Buffer.alloc(8);
    readSync(fd, prefix, 0, 8, 0);
    const length = Number(prefix.readBigUInt64LE(0));
    const json = Buffer.alloc(length);
    readSync(fd, json, 0, length, 8);
    return { header: JSON.parse(json.toString('utf8')), headerBytes: length };
  } finally {
    closeSync(fd);
  }
}
