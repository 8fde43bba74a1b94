import { describe, expect, it } from 'vitest';
import { cellAt, cellSize, moveCell } from './gridNavigation';

describe('cellSize', () => {
  it('fits the available width within the bounds', () => {
    expect(cellSize(10, 440, 8, 28)).toBe(28);
    expect(cellSize(40, 440, 8, 28)).toBe(11);
    expect(cellSize(128, 440, 8, 28)).toBe(8);
    expect(cellSize(0, 440, 8, 28)).toBe(28);
  });
});

describe('cellAt', () => {
  it('maps a point to its row and column', () => {
    expect(cellAt(0, 0, 10, 3, 3)).toEqual({ row: 0, col: 0 });
    expect(cellAt(25, 19.9, 10, 3, 3)).toEqual({ row: 1, col: 2 });
  });

  it('maps points on fractional cells, as a fitted long input has', () => {
    // 512 tokens fitted into 600 px: cells of 1.171875 px.
    const cell = 600 / 512;
    expect(cellAt(0.5, 599.9, cell, 512, 512)).toEqual({ row: 511, col: 0 });
    expect(cellAt(cell * 300.5, cell * 17.5, cell, 512, 512)).toEqual({ row: 17, col: 300 });
    expect(cellAt(600, 0, cell, 512, 512)).toBeNull();
  });

  it('gives null outside the grid', () => {
    expect(cellAt(30, 5, 10, 3, 3)).toBeNull();
    expect(cellAt(5, 30, 10, 3, 3)).toBeNull();
    expect(cellAt(-1, 5, 10, 3, 3)).toBeNull();
  });
});

describe('moveCell', () => {
  const at = { row: 1, col: 1 };

  it('moves by one cell with the arrows and stops at the edges', () => {
    expect(moveCell(at, 'ArrowUp', 3, 4)).toEqual({ row: 0, col: 1 });
    expect(moveCell(at, 'ArrowDown', 3, 4)).toEqual({ row: 2, col: 1 });
    expect(moveCell(at, 'ArrowLeft', 3, 4)).toEqual({ row: 1, col: 0 });
    expect(moveCell(at, 'ArrowRight', 3, 4)).toEqual({ row: 1, col: 2 });
    expect(moveCell({ row: 0, col: 0 }, 'ArrowUp', 3, 4)).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 2, col: 3 }, 'ArrowRight', 3, 4)).toEqual({ row: 2, col: 3 });
  });

  it('jumps to the ends of the row and column', () => {
    expect(moveCell(at, 'Home', 3, 4)).toEqual({ row: 1, col: 0 });
    expect(moveCell(at, 'End', 3, 4)).toEqual({ row: 1, col: 3 });
    expect(moveCell(at, 'PageUp', 3, 4)).toEqual({ row: 0, col: 1 });
    expect(moveCell(at, 'PageDown', 3, 4)).toEqual({ row: 2, col: 1 });
  });

  it('ignores other keys', () => {
    expect(moveCell(at, 'Enter', 3, 4)).toBeNull();
    expect(moveCell(at, 'a', 3, 4)).toBeNull();
  });
});
