import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { loadSampleAndConfigure, openStudioOnWasm } from './journey';

// LoRA as a person meets it: the switch in the Training panel with what it trains and saves, a run, the adapter
// downloaded in PEFT's layout from the Export panel, and that adapter opened onto the model again.

test('a LoRA run from the Training panel exports its adapter, which the Model panel opens again', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 1100 });
  await openStudioOnWasm(page);
  await loadSampleAndConfigure(page);
  const training = page.getByRole('region', { name: 'Training', exact: true });
  await training.getByText('Advanced', { exact: true }).click();
  await page.getByLabel('Max steps', { exact: true }).fill('6');

  await expect(training.getByRole('list', { name: 'Freeze map' })).toBeVisible();
  await training.getByRole('checkbox', { name: /^LoRA adapters/ }).check();
  await expect(training.getByLabel('Rank r', { exact: true })).toHaveValue('8');
  // The bundled model: 2 layers, hidden 128, intermediate 512; r 8 on query and value is 8,192 adapter weights.
  const counts = training.getByLabel('LoRA parameters');
  await expect(counts).toContainText(/^Trains [\d.,]+K? of [\d.,]+M? parameters \([\d.]+%: adapters 8,192/);
  await expect(training.getByRole('list', { name: 'Freeze map' })).toHaveCount(0);
  await training.getByLabel('Feed-forward', { exact: true }).check();
  await expect(counts).toContainText('adapters 28,672');
  await page.mouse.move(0, 0);
  await training.screenshot({ path: testInfo.outputPath('training-lora.png') });

  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Start training', exact: true })).toBeEnabled({ timeout: 300_000 });
  const model = page.getByRole('region', { name: 'Model', exact: true });
  await expect(model).toContainText('LoRA adapters r=8, α=16 on query, value, ffn');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export LoRA adapter', exact: true }).click();
  const zip = unzipSync(new Uint8Array(readFileSync(await (await download).path())));
  expect(Object.keys(zip).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
  expect(JSON.parse(new TextDecoder().decode(zip['adapter_config.json']))).toMatchObject({ peft_type: 'LORA', r: 8, lora_alpha: 16, task_type: 'SEQ_CLS' });
  const exportPanel = page.getByRole('region', { name: 'Export', exact: true });
  await expect(exportPanel.getByRole('list', { name: 'Exported files' })).toContainText('PEFT’s LoRA settings and target modules');
  await expect(exportPanel.getByLabel('Python code')).toContainText('PeftModel.from_pretrained(AutoModelForSequenceClassification.from_pretrained(base, num_labels=2), adapter_dir)');

  // The untouched bundled model again, then the adapter on it.
  await page.reload();
  await openStudioOnWasm(page);
  await expect(model).not.toContainText('LoRA adapters r=');
  await model.getByLabel(/^Open a LoRA adapter/).setInputFiles(
    Object.entries(zip).map(([name, bytes]) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) })),
  );
  await expect(model).toContainText('LoRA adapters r=8, α=16 on query, value, ffn', { timeout: 60_000 });
  await model.screenshot({ path: testInfo.outputPath('model-adapter.png') });
});
