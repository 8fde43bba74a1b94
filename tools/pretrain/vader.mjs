// VADER compound sentiment scores (Hutto & Gilbert 2014; npm vader-sentiment, the JS port) of text lines, for
// polarity.py: `node vader.mjs <vader-sentiment package dir> <lines.txt> <scores.txt>` writes one compound score
// in [-1, 1] per input line.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import process from 'node:process';

const [packageDir, input, output] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { SentimentIntensityAnalyzer } = require(resolve(packageDir, 'build', 'vaderSentiment.bundle.js'));
const lines = readFileSync(input, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
const scores = lines.map((line) => SentimentIntensityAnalyzer.polarity_scores(line).compound.toFixed(4));
writeFileSync(output, `${scores.join('\n')}\n`);
