/** Helpers shared by the src/data tests (not used by app code). */
import { expect } from 'vitest';
import { DataError, type DataErrorCode } from './errors';

/** Runs `fn`, asserts it throws a DataError with `code`, and returns it for further checks. */
export function expectDataError(fn: () => unknown, code: DataErrorCode): DataError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DataError);
  const error = caught as DataError;
  expect(error.code).toBe(code);
  return error;
}
