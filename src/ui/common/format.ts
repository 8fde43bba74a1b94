/** Number and progress formatting shared by the panels: pure, so the readouts are unit-tested. */
import type { Progress } from '../../progress';

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 KB" (powers of 1024, one decimal from KB up). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** 4385920 → "4.39M", 1234 → "1,234": short counts for parameters and rows. */
export function formatCount(count: number): string {
  if (!Number.isFinite(count)) return '–';
  const abs = Math.abs(count);
  if (abs >= 1e9) return `${(count / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${(count / 1e6).toFixed(2)}M`;
  if (abs >= 1e5) return `${(count / 1e3).toFixed(0)}k`;
  return Math.round(count).toLocaleString('en-US');
}

/** 0.1234 → "12.3%"; shares under 0.1% but above 0 read "<0.1%" rather than a misleading "0.0%". */
export function formatPercent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return '–';
  const smallest = 10 ** -digits / 100;
  if (share > 0 && share < smallest) return `<${(smallest * 100).toFixed(digits)}%`;
  return `${(share * 100).toFixed(digits)}%`;
}

/** Seconds → "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Learning rates and other small numbers: 3e-5 → "3e-5", 0.01 → "0.01". */
export function formatSmall(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value !== 0 && Math.abs(value) < 1e-3) {
    const [mantissa, exponent] = value.toExponential(2).split('e');
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(3)));
}

/** Share done in [0, 1], or undefined when the total is unknown (an indeterminate bar). */
export function progressFraction(progress: Progress): number | undefined {
  if (progress.total === undefined || progress.total <= 0) return undefined;
  return Math.min(1, Math.max(0, progress.loaded / progress.total));
}

const STAGE_NAMES: Record<string, string> = {
  download: 'Downloading',
  read: 'Reading',
  unzip: 'Unzipping',
  parse: 'Parsing',
  tokenize: 'Tokenizing',
  'near-duplicates': 'Finding near-duplicates',
  train: 'Training',
  'lr-finder': 'Learning-rate sweep',
  evaluate: 'Evaluating',
};

/** Stages that count bytes, which carry their own unit ("1.5 KB"). */
const BYTE_STAGES = new Set(['download', 'read', 'unzip']);

/** Units of each other stage's `loaded`/`total`. */
const STAGE_UNITS: Record<string, string> = {
  parse: 'characters',
  tokenize: 'rows',
  'near-duplicates': 'rows',
  train: 'steps',
  'lr-finder': 'steps',
  evaluate: 'examples',
};

/** What a Progress means to a person: stage, item, and amount in the stage's unit (bytes, characters, rows). */
export function describeProgress(progress: Progress): string {
  const stage = STAGE_NAMES[progress.stage] ?? capitalise(progress.stage);
  const what = progress.item ? `${stage} ${progress.item}` : stage;
  const amount = BYTE_STAGES.has(progress.stage) ? formatBytes : formatCount;
  const unit = STAGE_UNITS[progress.stage];
  const done = progress.total === undefined
    ? amount(progress.loaded)
    : `${amount(progress.loaded)} of ${amount(progress.total)}`;
  return `${what}: ${done}${unit ? ` ${unit}` : ''}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
