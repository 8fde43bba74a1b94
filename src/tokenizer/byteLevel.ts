/**
 * GPT-2's byte-level alphabet (RoBERTa's vocab.json and merges.txt are written in it): each byte stands as one
 * printable character, printable Latin-1 bytes as themselves and the rest (space, controls, …) as the
 * characters from U+0100 on, in byte order; a space is "Ġ".
 */
function byteAlphabet(): string[] {
  const printable = (from: string, to: string): number[] => Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => from.charCodeAt(0) + i);
  const kept = new Set([...printable('!', '~'), ...printable('¡', '¬'), ...printable('®', 'ÿ')]);
  const chars: string[] = [];
  let next = 256;
  for (let byte = 0; byte < 256; byte++) chars.push(String.fromCharCode(kept.has(byte) ? byte : next++));
  return chars;
}

/** Byte → its character in the byte-level alphabet. */
export const BYTE_TO_CHAR: readonly string[] = byteAlphabet();

const CHAR_TO_BYTE = new Map(BYTE_TO_CHAR.map((char, byte) => [char, byte]));

/** The bytes a byte-level token stands for; undefined when it holds a character outside the alphabet (an added token). */
export function tokenBytes(token: string): number[] | undefined {
  const bytes: number[] = [];
  for (const char of token) {
    const byte = CHAR_TO_BYTE.get(char);
    if (byte === undefined) return undefined;
    bytes.push(byte);
  }
  return bytes;
}

const decoder = new TextDecoder();

/** A byte-level token as text ("Ġworld" → " world"); bytes that end mid-character read as U+FFFD. */
export function byteLevelText(token: string): string {
  const bytes = tokenBytes(token);
  return bytes === undefined ? token : decoder.decode(new Uint8Array(bytes));
}
