import { describe, expect, it } from 'vitest';
import { multiply, multiplyTransposed, rowScores, SparseBuilder } from './sparse';

// X = [[1, 0, 2], [0, 0, 0], [0, 3, 4]] built row by row from longer scratch arrays.
function example() {
  const builder = new SparseBuilder(3);
  builder.addRow(Int32Array.of(0, 2, 99), Float32Array.of(1, 2, 99), 2);
  builder.addRow(new Int32Array(0), new Float32Array(0), 0);
  builder.addRow(Int32Array.of(2, 1), Float32Array.of(4, 3), 2);
  return builder.build();
}

describe('sparse rows', () => {
  it('stores appended rows in CSR layout, growing as needed', () => {
    const builder = new SparseBuilder(5000);
    for (let r = 0; r < 600; r++) builder.addRow(Int32Array.from({ length: 5 }, (_, i) => r + i), new Float32Array(5).fill(r), 5);
    const x = builder.build();
    expect([x.numRows, x.indptr[600], x.indices[5 * 599 + 4], x.values[5 * 599]]).toEqual([600, 3000, 603, 599]);
    expect(example()).toMatchObject({ numRows: 3, numColumns: 3, indptr: Int32Array.of(0, 2, 2, 4) });
  });

  it('multiplies by dense matrices of one or several outputs, and by their transpose', () => {
    const x = example();
    const out = new Float64Array(3);
    multiply(x, Float64Array.of(1, 10, 100), 1, out);
    expect([...out]).toEqual([201, 0, 430]);
    const wide = new Float64Array(6);
    multiply(x, Float64Array.of(1, 2, 10, 20, 100, 200), 2, wide); // W: [3 columns, 2 outputs]
    expect([...wide]).toEqual([201, 402, 0, 0, 430, 860]);
    const gradient = new Float64Array(6).fill(7); // overwritten, not added to
    multiplyTransposed(x, Float64Array.of(1, 2, 5, 6, 10, 20), 2, gradient); // V: [3 rows, 2 outputs]
    expect([...gradient]).toEqual([1, 2, 30, 60, 42, 84]);
  });

  it('scores one row with intercepts', () => {
    const row = { columns: Int32Array.of(2, 0), values: Float64Array.of(0.5, 2) };
    expect([...rowScores(row, Float64Array.of(1, 2, 10, 20, 100, 200), Float64Array.of(-1, 1))]).toEqual([51, 105]);
  });
});
