/**
 * SentencePiece's normalizer (`precompiled_charsmap` in tokenizer.json's Precompiled normalizer): a darts-clone
 * double-array trie over UTF-8 byte strings whose leaves point into a table of NUL-terminated replacements.
 * `@huggingface/tokenizers` stands NFKC plus a few fixed replacements in for it, which differs from the model's own
 * rules (it turns the zero-width joiner inside emoji sequences into a space, for one); this reads the rules.
 */
export class Charsmap {
  private readonly units: Uint32Array;
  private readonly replacements: Uint8Array;
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();

  /** `charsmap`: the base64 of `precompiled_charsmap` (a little-endian uint32 trie size in bytes, the trie, the replacements). */
  constructor(base64: string) {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const view = new DataView(bytes.buffer);
    const trieSize = view.getUint32(0, true);
    this.units = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.units.length; i++) this.units[i] = view.getUint32(4 + 4 * i, true);
    this.replacements = bytes.subarray(4 + trieSize);
  }

  /** SentencePiece's NormalizePrefix, everywhere: the longest rule matching at each point, else the character as it is. */
  normalize(text: string): string {
    const bytes = this.encoder.encode(text);
    let out = '';
    let from = 0;
    let copied = 0;
    while (from < bytes.length) {
      const [length, value] = this.longestMatch(bytes, from);
      if (length === 0) {
        from += utf8Width(bytes[from]);
        continue;
      }
      out += this.decoder.decode(bytes.subarray(copied, from));
      let end = value;
      while (end < this.replacements.length && this.replacements[end] !== 0) end++;
      out += this.decoder.decode(this.replacements.subarray(value, end));
      from += length;
      copied = from;
    }
    return out + this.decoder.decode(bytes.subarray(copied));
  }

  /** darts-clone's commonPrefixSearch, keeping the longest match: [bytes matched, replacement offset]. */
  private longestMatch(bytes: Uint8Array, from: number): [number, number] {
    const offset = (unit: number): number => (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    let node = offset(this.units[0]);
    let best: [number, number] = [0, 0];
    for (let i = from; i < bytes.length; i++) {
      node ^= bytes[i];
      const unit = this.units[node];
      if (unit === undefined || (unit & 0x800000ff) >>> 0 !== bytes[i]) break;
      node ^= offset(unit);
      if ((unit >>> 8) & 1) best = [i + 1 - from, this.units[node] & 0x7fffffff];
    }
    return best;
  }
}

function utf8Width(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  return 2;
}
