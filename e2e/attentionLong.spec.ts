import { expect, test, type Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fromVocabTxt } from '../src/tokenizer';
import { openStudio } from './journey';

const MODEL = 'public/models/bert-tiny-en';
/** Varied words, so that a readout names tokens that tell rows and columns apart. */
const PARAGRAPH =
  'the old lighthouse keeper climbed the spiral stairs every evening, counting steps while gulls argued over fish below. ' +
  'rain drummed against thick glass as ships blinked their lanterns far beyond the harbour wall. ' +
  'nobody in the village remembered when the lamp had last failed, although children told stories about a winter storm. ';

/** The cell under a page point of a map whose canvas is at `canvas`, with cells `cell` pixels wide. */
function cellUnder(canvas: { x: number; y: number }, cell: number, x: number, y: number) {
  return { row: Math.floor((y - canvas.y) / cell), col: Math.floor((x - canvas.x) / cell) };
}

/** The page point at the middle of a cell. */
function middleOf(canvas: { x: number; y: number }, cell: number, row: number, col: number) {
  return { x: canvas.x + (col + 0.5) * cell, y: canvas.y + (row + 0.5) * cell };
}

async function boxOf(locator: Locator) {
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  return box!;
}

test('a heatmap of the longest input the model takes fits its panel, zooms, pans and reads out cells', async ({ page }, testInfo) => {
  const consoleProblems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleProblems.push(`${message.type()}: ${message.text()}`);
  });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await openStudio(page);

  // As many tokens as the model has positions for, up to 512: the sentence is longer, and is cut there.
  const { max_position_embeddings: positions } = JSON.parse(readFileSync(`${MODEL}/config.json`, 'utf8')) as { max_position_embeddings: number };
  const maxTokens = Math.min(512, positions);
  const tokenizer = fromVocabTxt(readFileSync(`${MODEL}/vocab.txt`, 'utf8'));
  const sentence = PARAGRAPH.repeat(Math.ceil((maxTokens + 1) / tokenizer.encode(PARAGRAPH).tokens.length)).trim();
  expect(tokenizer.encode(sentence).tokens.length).toBeGreaterThan(maxTokens);
  const tokens = tokenizer.encode(sentence, undefined, { maxLength: maxTokens }).tokens;
  const n = tokens.length;
  expect(n).toBe(maxTokens);

  await page.getByLabel('Sentence', { exact: true }).fill(sentence);
  await page.getByRole('button', { name: 'Show attention', exact: true }).click();
  const heatmap = page.getByRole('figure', { name: 'Attention heatmap', exact: true });
  await expect(heatmap.getByRole('list', { name: 'Query tokens' }).getByRole('listitem')).toHaveText(tokens, { timeout: 120_000 });
  const panel = page.getByRole('region', { name: 'Attention', exact: true });
  const scrollBox = heatmap.locator('.attention-heatmap-scroll');
  const canvas = heatmap.locator('canvas');
  const cells = heatmap.getByRole('application');
  const readout = heatmap.locator('.attention-readout');
  const cellSize = async () => (await boxOf(canvas)).width / n;
  const expectInsidePanel = async () => {
    const [map, around] = [await boxOf(heatmap), await boxOf(panel)];
    expect(map.x).toBeGreaterThanOrEqual(around.x);
    expect(map.y).toBeGreaterThanOrEqual(around.y);
    expect(map.x + map.width).toBeLessThanOrEqual(around.x + around.width);
    expect(map.y + map.height).toBeLessThanOrEqual(around.y + around.height);
  };
  const hover = ({ x, y }: { x: number; y: number }) => page.mouse.move(x, y);
  const expectReadout = async (row: number, col: number) => {
    const escape = (token: string) => token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expect(readout).toHaveText(new RegExp(`^${escape(tokens[row])} → ${escape(tokens[col])}: \\d\\.\\d{3}$`));
    await expect(heatmap.getByRole('list', { name: 'Query tokens' }).locator('li.active')).toHaveAttribute('data-index', String(row));
    await expect(heatmap.getByRole('list', { name: 'Key tokens' }).locator('li.active')).toHaveAttribute('data-index', String(col));
  };

  // Fitted: the whole map shows inside its panel at once, without scrolling.
  await heatmap.evaluate((figure) => figure.scrollIntoView({ block: 'center' }));
  await expectInsidePanel();
  const fitted = await cellSize();
  expect(fitted * n).toBeLessThanOrEqual((await boxOf(scrollBox)).width);
  // (Within a pixel: the scroll sizes are rounded, and a fitted map's size is not a whole number of pixels.)
  expect(await scrollBox.evaluate((box) => box.scrollWidth <= box.clientWidth + 1 && box.scrollHeight <= box.clientHeight + 1)).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('long-heatmap-fitted.png') });

  // Hovering a cell of the fitted map names its query and key tokens, however small the cells.
  const fittedCanvas = await boxOf(canvas);
  await hover(middleOf(fittedCanvas, fitted, 7, 20));
  await expectReadout(7, 20);
  await hover(middleOf(fittedCanvas, fitted, n - 2, 3));
  await expectReadout(n - 2, 3);

  // Zoom in from the keyboard until the labels are written for every token: the map grows, stays in its
  // panel, and scrolls inside its box.
  const zoomIn = page.getByRole('group', { name: 'Heatmap zoom' }).getByRole('button', { name: 'Zoom in' });
  await zoomIn.focus();
  while ((await cellSize()) < 12) {
    const before = await cellSize();
    await page.keyboard.press('Enter');
    await expect.poll(cellSize).toBeGreaterThan(before);
  }
  const zoomed = await cellSize();
  await expect(page.getByRole('group', { name: 'Heatmap zoom' }).locator('output')).toHaveText(`${Math.round(zoomed)} px`);
  await expectInsidePanel();
  expect(await scrollBox.evaluate((box) => box.scrollWidth > box.clientWidth && box.scrollHeight > box.clientHeight)).toBe(true);

  // Pan with the wheel over the map: it scrolls inside its box, and the labels stay beside the cells.
  const view = await boxOf(scrollBox);
  await page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
  const scrolled = () => scrollBox.evaluate((box) => ({ left: box.scrollLeft, top: box.scrollTop }));
  const start = await scrolled();
  await page.mouse.wheel(600, 400);
  await expect.poll(async () => (await scrolled()).left).toBeGreaterThan(start.left);
  await expect.poll(async () => (await scrolled()).top).toBeGreaterThan(start.top);
  await expectInsidePanel();
  // (Measured again: a wheel that reaches the end of the map's scroll goes on to scroll the page.)
  const panned = await boxOf(scrollBox);
  expect((await boxOf(heatmap.getByRole('list', { name: 'Query tokens' }))).x).toBeCloseTo(panned.x, 0);
  expect((await boxOf(heatmap.getByRole('list', { name: 'Key tokens' }))).y).toBeCloseTo(panned.y, 0);

  // Hovering a cell of the zoomed, scrolled map (away from cell edges) reads out the tokens under the pointer.
  const zoomedCanvas = await boxOf(canvas);
  const target = cellUnder(zoomedCanvas, zoomed, panned.x + panned.width / 2, panned.y + panned.height / 2);
  expect(target.row).toBeGreaterThan(0);
  expect(target.col).toBeGreaterThan(0);
  await hover(middleOf(zoomedCanvas, zoomed, target.row, target.col));
  await expectReadout(target.row, target.col);
  await page.screenshot({ path: testInfo.outputPath('long-heatmap-zoomed.png') });

  // The keyboard reaches the last cell, and the map scrolls to show it.
  await page.mouse.move(0, 0);
  await cells.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('PageDown');
  await expectReadout(n - 1, n - 1);
  const [cursor, box] = [await boxOf(heatmap.locator('.attention-cursor')), await boxOf(scrollBox)];
  expect(cursor.x + cursor.width).toBeLessThanOrEqual(box.x + box.width + 1);
  expect(cursor.y + cursor.height).toBeLessThanOrEqual(box.y + box.height + 1);

  // Fit brings the whole map back.
  await page.getByRole('group', { name: 'Heatmap zoom' }).getByRole('button', { name: 'Fit to width' }).click();
  await expect.poll(cellSize).toBeCloseTo(fitted, 3);
  await expectInsidePanel();

  expect(consoleProblems).toEqual([]);
});
