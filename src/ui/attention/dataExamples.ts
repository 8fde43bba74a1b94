/** Example texts taken from the loaded data's preview rows, for the attention and playground pickers. */
import type { DataSummary } from '../../worker/protocol';

/** Distinct non-blank texts of the preview's text column, in file order, at most `limit`. */
export function previewTexts(data: Pick<DataSummary, 'preview' | 'columns'> | null, limit = 20): string[] {
  const column = data?.columns.text;
  if (!data || !column) return [];
  const texts = new Set<string>();
  for (const row of data.preview) {
    const value = row[column];
    const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
    if (text) texts.add(text);
    if (texts.size >= limit) break;
  }
  return [...texts];
}

/** A text cut to `max` characters (at a word boundary when one is near) with an ellipsis. */
export function shorten(text: string, max = 70): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
