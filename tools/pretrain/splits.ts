// Prints, as JSON, the row splits `npm run compare -- --heldout` and the CLI make for each seed, for probe.py:
// per seed the held-out test rows (tools/compare/heldout.ts splitRows) and, of the train rows, the ones the
// CLI trains on and the 10% it holds out for early stopping (src/data/prepare.ts), as indices of the file.
// usage: npx tsx tools/pretrain/splits.ts FILE SEEDS(1,2,3) [TEST_FRACTION]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { prepareData } from '../../src/data/prepare';
import { DEFAULT_VALIDATION_FRACTION } from '../../src/data/split';
import { readLabelled, splitRows, toCsv } from '../compare/heldout';

const [file, seedList, fraction] = process.argv.slice(2);
const rows = readLabelled(readFileSync(file, 'utf8'), basename(file));
const out: Record<string, { train: number[]; validation: number[]; test: number[] }> = {};
for (const seed of seedList.split(',').map(Number)) {
  const { train, test } = splitRows(rows, seed, Number(fraction ?? 0.3));
  const prepared = prepareData({ train: { text: toCsv(rows, train), fileName: 'train.csv' } }, { task: 'classify', seed, valSplit: DEFAULT_VALIDATION_FRACTION });
  out[seed] = { train: prepared.split.train.map((i) => train[i]), validation: prepared.split.validation.map((i) => train[i]), test };
}
process.stdout.write(JSON.stringify({ classes: rows.classes, splits: out }));
