/** Relative file paths inside a model folder, zip or repository, made safe before anything uses them. */

/**
 * Splits a relative path into its segments, accepting "\" as a separator and dropping "." and empty
 * segments. Returns undefined for paths that are absolute (`/x`, `C:\x`) or climb out with "..",
 * and for paths with no segments at all.
 */
export function safePathSegments(path: string): string[] | undefined {
  const normalized = path.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized)) return undefined;
  const segments = normalized.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0 || segments.includes('..')) return undefined;
  return segments;
}

/**
 * Removes directories that every path shares, so a folder dropped or zipped as `bert-tiny/…`
 * (or `outer/bert-tiny/…`) reads as the model's own files. Returns the new paths, in input order,
 * and the innermost directory removed, which names the model.
 */
export function stripCommonDirectories(paths: string[][]): { paths: string[]; directory?: string } {
  let depth = 0;
  const sharesNextDirectory = (): boolean =>
    paths.length > 0 &&
    paths.every((segments) => segments.length > depth + 1 && segments[depth] === paths[0][depth]);
  while (sharesNextDirectory()) depth++;
  return {
    paths: paths.map((segments) => segments.slice(depth).join('/')),
    directory: depth > 0 ? paths[0][depth - 1] : undefined,
  };
}
