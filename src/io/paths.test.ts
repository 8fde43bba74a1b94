import { describe, expect, it } from 'vitest';
import { safePathSegments, stripCommonDirectories } from './paths';

describe('safePathSegments', () => {
  it('splits relative paths, accepting backslashes and dropping "." and empty segments', () => {
    expect(safePathSegments('config.json')).toEqual(['config.json']);
    expect(safePathSegments('bert/./sub//vocab.txt')).toEqual(['bert', 'sub', 'vocab.txt']);
    expect(safePathSegments('bert\\vocab.txt')).toEqual(['bert', 'vocab.txt']);
    expect(safePathSegments('a..b/x')).toEqual(['a..b', 'x']);
  });

  it('refuses absolute, climbing and empty paths', () => {
    for (const path of ['/etc/passwd', '\\\\server\\share', 'C:\\x', 'c:x', '../x', 'a/../../x', 'a\\..\\x', '', './', '//']) {
      expect([path, safePathSegments(path)]).toEqual([path, undefined]);
    }
  });
});

describe('stripCommonDirectories', () => {
  it('removes every directory all paths share and reports the innermost', () => {
    expect(
      stripCommonDirectories([
        ['out', 'bert', 'config.json'],
        ['out', 'bert', 'sub', 'x.txt'],
      ]),
    ).toEqual({ paths: ['config.json', 'sub/x.txt'], directory: 'bert' });
  });

  it('keeps paths that do not share a directory, or that are files at the top', () => {
    expect(stripCommonDirectories([['a', 'x'], ['b', 'y']])).toEqual({ paths: ['a/x', 'b/y'], directory: undefined });
    expect(stripCommonDirectories([['a', 'x'], ['a']])).toEqual({ paths: ['a/x', 'a'], directory: undefined });
    expect(stripCommonDirectories([])).toEqual({ paths: [], directory: undefined });
  });
});
