import { describe, expect, it } from 'vitest';
import { anchoredScroll, cellText, fitCell, labelStep, labelWidth, mapWidth, revealScroll, zoomedCell, zoomIn, zoomOut } from './cellSize';

describe('mapWidth', () => {
  it('shares the width among maps side by side while each keeps its minimum', () => {
    expect(mapWidth(600, 1, 12, 240)).toBe(600);
    expect(mapWidth(924, 3, 12, 240)).toBe(300);
  });

  it('puts fewer maps on a row when the width is short', () => {
    expect(mapWidth(600, 3, 12, 240)).toBe(294);
    expect(mapWidth(400, 3, 12, 240)).toBe(400);
    expect(mapWidth(100, 3, 12, 240)).toBe(100);
  });
});

describe('labelWidth', () => {
  it('makes room for the longest token', () => {
    expect(labelWidth(['[CLS]', 'light', '##house', 'remembered', '[SEP]'])).toBe(77);
  });

  it('keeps room for the corner, and cuts very long tokens short', () => {
    expect(labelWidth(['a', 'b'])).toBe(52);
    expect(labelWidth([])).toBe(52);
    expect(labelWidth(['pneumonoultramicroscopicsilicovolcanoconiosis'])).toBe(114);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(labelWidth(['𝔞𝔟𝔠𝔡𝔢𝔣𝔤𝔥'])).toBe(labelWidth(['abcdefgh']));
  });
});

describe('fitCell', () => {
  it('fits every token into the width left beside the labels and the border', () => {
    expect(fitCell(128, 80 + 2 + 384, 80)).toBe(3);
    expect(fitCell(100, 60 + 2 + 250, 60)).toBe(2.5);
  });

  it('keeps a fitted map no taller than the scroll box', () => {
    expect(fitCell(54, 2000, 80)).toBe(10);
  });

  it('caps the cells of short inputs and keeps long inputs at one pixel a token', () => {
    expect(fitCell(5, 900, 80)).toBe(28);
    expect(fitCell(0, 900, 80)).toBe(28);
    expect(fitCell(512, 500, 80)).toBe(1);
    expect(fitCell(512, 0, 80)).toBe(1);
  });
});

describe('zoom', () => {
  it('shows the zoom asked for, but never less than the fit', () => {
    expect(zoomedCell(2.5, 0)).toBe(2.5);
    expect(zoomedCell(2.5, 12)).toBe(12);
    expect(zoomedCell(6, 4)).toBe(6);
  });

  it('steps in by a visible amount up to the largest step', () => {
    expect(zoomIn(1)).toBe(2);
    expect(zoomIn(2.5)).toBe(3);
    expect(zoomIn(2.6)).toBe(4);
    expect(zoomIn(12)).toBe(16);
    expect(zoomIn(28)).toBeNull();
    expect(zoomIn(32)).toBeNull();
  });

  it('steps out to a smaller step, then to the fit', () => {
    expect(zoomOut(12, 2.5)).toBe(8);
    expect(zoomOut(4, 2.5)).toBe(3);
    expect(zoomOut(3, 2.5)).toBe(0);
    expect(zoomOut(32, 28)).toBe(0);
    expect(zoomOut(2.5, 2.5)).toBeNull();
  });

  it('reaches the largest step from a 512-token fit and comes back', () => {
    const fit = fitCell(512, 600, 80);
    const ins: number[] = [];
    for (let cell = fit, next = zoomIn(cell); next !== null; cell = next, next = zoomIn(cell)) ins.push(next);
    expect(ins).toEqual([2, 3, 4, 6, 8, 12, 16, 24, 32]);
    const outs: number[] = [];
    for (let cell = 32, next = zoomOut(cell, fit); next !== null; cell = zoomedCell(fit, next), next = zoomOut(cell, fit)) outs.push(next);
    expect(outs).toEqual([24, 16, 12, 8, 6, 4, 3, 2, 0]);
  });

  it('writes the cell size with a decimal only where it matters', () => {
    expect(cellText(2.4567)).toBe('2.5 px');
    expect(cellText(12)).toBe('12 px');
    expect(cellText(27.6)).toBe('28 px');
  });
});

describe('labelStep', () => {
  it('labels every token on readable cells and every few on small ones', () => {
    expect(labelStep(28)).toBe(1);
    expect(labelStep(10)).toBe(1);
    expect(labelStep(8)).toBe(2);
    expect(labelStep(3)).toBe(4);
    expect(labelStep(1)).toBe(10);
  });
});

describe('anchoredScroll', () => {
  it('keeps the middle of the view on the same cells when zooming', () => {
    // 300 px of 3 px cells visible from 150: the middle is cell 100, at 12 px it is at 1200.
    expect(anchoredScroll(150, 300, 3, 12)).toBe(1200 - 150);
    expect(anchoredScroll(1050, 300, 12, 3)).toBe(150);
  });

  it('does not scroll before the start', () => {
    expect(anchoredScroll(0, 300, 12, 3)).toBe(0);
  });
});

describe('revealScroll', () => {
  it('leaves a span that is in view where it is', () => {
    expect(revealScroll(100, 300, 150, 12)).toBe(100);
  });

  it('scrolls just far enough to show a span before or after the view', () => {
    expect(revealScroll(100, 300, 40, 12)).toBe(40);
    expect(revealScroll(100, 300, 400, 12)).toBe(112);
  });

  it('shows the start of a span larger than the view', () => {
    expect(revealScroll(0, 10, 40, 12)).toBe(40);
  });
});
