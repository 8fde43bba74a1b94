/**
 * HF `BertTokenizer.convert_tokens_to_string`: tokens joined by spaces, continuation pieces glued to the
 * piece before them.
 */
export function tokensToString(tokens: readonly string[], prefix: string): string {
  return tokens.join(' ').replaceAll(` ${prefix}`, '').trim();
}

/** HF `clean_up_tokenization`: removes the spaces that word splitting put before punctuation and contractions. */
export function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}
