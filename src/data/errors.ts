/** What went wrong, as a stable code the UI can switch on; the message is for people. */
export type DataErrorCode =
  | 'empty-file'
  | 'unreadable'
  | 'binary-file'
  | 'too-large'
  | 'too-many-rows'
  | 'unsupported-format'
  | 'malformed'
  | 'no-columns'
  | 'no-rows'
  | 'unknown-column'
  | 'no-text-column'
  | 'missing-label'
  | 'unknown-label'
  | 'bad-label'
  | 'too-few-classes'
  | 'too-few-rows'
  | 'bad-option'
  | 'tokenizer';

/** Where in the input the problem is, when known. */
export interface DataErrorLocation {
  /** 1-based line in the source file. */
  line?: number;
  /** 0-based index into `ParsedDataset.rows` (messages say "row N+1"). */
  row?: number;
  /** The file the line or row belongs to. */
  file?: string;
}

/** The one error type `src/data` throws for bad input or bad options. */
export class DataError extends Error {
  readonly code: DataErrorCode;
  readonly line?: number;
  readonly row?: number;
  readonly file?: string;

  constructor(code: DataErrorCode, message: string, location: DataErrorLocation = {}) {
    super(message);
    this.name = 'DataError';
    this.code = code;
    this.line = location.line;
    this.row = location.row;
    this.file = location.file;
  }
}

/** Runs `work` on one file's content; a DataError it throws names that file (for the page's "where" line). */
export function inFile<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof DataError && err.file === undefined) throw new DataError(err.code, err.message, { line: err.line, row: err.row, file });
    throw err;
  }
}

/** "row 3" for row index 2: rows are counted from 1 in everything people read. */
export function rowLabel(row: number): string {
  return `row ${row + 1}`;
}
