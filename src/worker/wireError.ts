/**
 * Errors across the worker boundary. Structured cloning keeps an Error's message but drops the fields the
 * project's error classes carry (DataError's row, WeightsError's tensor, TrainInputError's field, …), so the
 * worker sends them as plain data and the page rebuilds an error that still says where the problem is.
 */

/** An error as it crosses the boundary: its class, message, and the place it names. */
export interface WireError {
  /** The class name: DataError, WeightsError, TrainInputError, ModelSourceError, ZipError, … */
  name: string;
  message: string;
  /** The class's code (DataError, WeightsError, TokenizerError, SafetensorsError, ZipError) or kind (ModelSourceError). */
  code?: string;
  /** A training argument or config field. */
  field?: string;
  file?: string;
  /** 1-based line of a text file, and 0-based row of a table (shown 1-based). */
  line?: number;
  row?: number;
  tensor?: string;
  /** An entry of a zip archive. */
  entry?: string;
  runId?: string;
}

const STRING_KEYS = ['code', 'field', 'file', 'tensor', 'entry', 'runId'] as const;
const NUMBER_KEYS = ['line', 'row'] as const;

export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const source = err as unknown as Record<string, unknown>;
  const wire: WireError = { name: err.name, message: err.message };
  // ModelSourceError names its code `kind`.
  const code = source.code ?? source.kind;
  if (typeof code === 'string') wire.code = code;
  for (const key of STRING_KEYS) if (key !== 'code' && typeof source[key] === 'string') wire[key] = source[key] as string;
  for (const key of NUMBER_KEYS) if (typeof source[key] === 'number' && Number.isFinite(source[key])) wire[key] = source[key] as number;
  return wire;
}

/** What the page catches from a failed engine call: an Error with the WireError's fields. */
export class EngineError extends Error {
  /** The fields as they arrived, for code that reads them together (describeWhere). */
  readonly wire: WireError;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.wire = wire;
  }
}

/** "in data.csv, row 12" · "field: learning rate" · "tensor bert.pooler.dense.weight": where to look, or null. */
export function describeWhere(error: Partial<WireError>): string | null {
  const parts: string[] = [];
  const place = error.row !== undefined ? `row ${error.row + 1}` : error.line !== undefined ? `line ${error.line}` : null;
  if (error.file) parts.push(place ? `${error.file}, ${place}` : error.file);
  else if (place) parts.push(place);
  if (error.entry) parts.push(`zip entry ${error.entry}`);
  if (error.tensor) parts.push(`tensor ${error.tensor}`);
  if (error.field) parts.push(`field ${error.field}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}
