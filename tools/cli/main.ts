// `npm run cli -- <train|predict|eval|export-onnx> ...`: drives the studio's engine (the same worker the UI uses) in
// headless Chromium, so scripted runs and benchmarks get exactly the UI's numerics.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCliArgs, USAGE, type CliCommand } from './args';
import { openEnginePage } from './page-host';
import { writeExportFiles } from './writeExport';
import type { PredictionLine } from './protocol';

async function main(): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    console.log(USAGE);
    return 0;
  }

  const hubEndpoint = command.model.kind === 'hub' ? command.model.endpoint : undefined;
  const host = await openEnginePage({ backend: command.backend, modelDir: command.modelDir, hubEndpoint });
  try {
    const text = (path: string) => ({ text: readFileSync(path, 'utf8'), fileName: path });
    const setup = command.kind === 'train' || command.kind === 'export-recipe' ? command : undefined;
    const train = command.kind === 'train' ? command : undefined;
    const result = await host.run(command, command.kind === 'export-onnx' ? {} : {
      data: text(command.data),
      valData: setup?.valData === undefined ? undefined : text(setup.valData),
      predictData: train?.predict === undefined ? undefined : text(train.predict.data),
      trainData: command.kind === 'eval' && command.trainData !== undefined ? text(command.trainData) : undefined,
    });
    // The commands that write a folder: train and export-onnx its model, export-recipe the recipe.
    const out = setup?.out ?? (command.kind === 'export-onnx' ? command.out : undefined);
    if (out !== undefined && result.files) {
      mkdirSync(out, { recursive: true });
      await writeExportFiles(out, result.files, host.readChunk);
      const bytes = Object.values(result.files).reduce((a, b) => a + b, 0);
      console.log(`wrote ${Object.keys(result.files).length} files (${bytes} bytes, each read back and checked) to ${resolve(out)}`);
    }
    if (result.error) throw new Error(result.error);
    if (command.kind === 'export-recipe') {
      console.log(`to train at scale: cd ${resolve(command.out)} && accelerate launch train.py (its README.md has the rest)`);
    } else if (command.kind === 'train') {
      if (command.predict) writePredictions(command.predict.out, result.lines ?? []);
    } else if (command.kind === 'predict') {
      writePredictions(command.out, result.lines ?? []);
    } else if (command.kind === 'eval') {
      console.log(JSON.stringify(result.metrics, null, 2));
    }
    return 0;
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 1;
  } finally {
    await host.close();
  }
}

function writePredictions(path: string, lines: PredictionLine[]): void {
  writeFileSync(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  console.log(`wrote ${lines.length} predictions to ${resolve(path)}`);
}

main().then((code) => process.exit(code));
