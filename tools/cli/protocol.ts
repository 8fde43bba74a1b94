// What the CLI's Node side and its page exchange through page.evaluate (JSON-serialisable only).
import type { Prediction, TextFile } from '../../src/worker/protocol';
import type { BackendChoice, CliCommand, ModelRef } from './args';

export type { TextFile };

export interface CliRequest {
  command: Exclude<CliCommand, { kind: 'help' }> & { model: ModelRef };
  backend: BackendChoice;
  /** The data file: every command but export-onnx reads one. */
  data?: TextFile;
  valData?: TextFile;
  /** train --predict-data: rows the trained model predicts before the page closes. */
  predictData?: TextFile;
  /** eval --train-data: the rows the linear baseline is fitted on. */
  trainData?: TextFile;
}

export interface CliResult {
  error?: string;
  /** Export files by name → size in bytes; read them with readChunk (also set beside an error: the rescued weights). */
  files?: Record<string, number>;
  /** Prediction JSONL records (predict, or train with --predict-data). */
  lines?: PredictionLine[];
  metrics?: unknown;
}

/** One line of predict's JSONL output, with Hugging Face field names. */
export interface PredictionLine {
  text: string;
  text_pair?: string;
  input_ids: number[];
  token_type_ids: number[];
  logits: number[];
  label: string | null;
  fill_mask?: Prediction['fillMask'];
  /** Token classifiers: the entities found, named as the token-classification pipeline names them ("simple"). */
  entities?: { entity_group: string; start: number; end: number; word: string }[];
  /** Question answering (text: the question, text_pair: the context): the best span as the question-answering pipeline names it, null for none. */
  answer?: { answer: string; start: number; end: number; score: number } | null;
}

declare global {
  interface Window {
    cliEngine: {
      run(request: CliRequest): Promise<CliResult>;
      /** Base64 of `length` bytes of an exported file from `offset`. */
      readChunk(name: string, offset: number, length: number): string;
    };
    cliLog(line: string): Promise<void>;
  }
}
