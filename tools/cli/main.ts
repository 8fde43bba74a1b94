// `npm run cli -- <train|predict|eval> ...`: drives the studio's engine (the same worker the UI uses) in
// headless Chromium, so scripted runs and benchmarks get exactly the UI's numerics.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCliArgs, USAGE, type CliCommand } from './args';
import { openEnginePage } from './page-host';

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

  const host = await openEnginePage({ backend: command.backend, modelDir: command.modelDir });
  try {
    const data = { text: readFileSync(command.data, 'utf8'), fileName: command.data };
    const valData = command.kind === 'train' && command.valData
      ? { text: readFileSync(command.valData, 'utf8'), fileName: command.valData }
      : undefined;
    const result = await host.run(command, data, valData);
    if (command.kind === 'train') {
      mkdirSync(command.out, { recursive: true });
      for (const [name, bytes] of Object.entries(result.files ?? {})) writeFileSync(join(command.out, name), bytes);
      console.log(`wrote ${Object.keys(result.files ?? {}).length} files to ${resolve(command.out)}`);
    } else if (command.kind === 'predict') {
      writeFileSync(command.out, (result.lines ?? []).map((line) => JSON.stringify(line)).join('\n') + '\n');
      console.log(`wrote ${(result.lines ?? []).length} predictions to ${resolve(command.out)}`);
    } else {
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

main().then((code) => process.exit(code));
