import { describe, expect, it } from 'vitest';
import { hasHtml, hasMojibake, isBlank, isTooShort, junkKind } from './textChecks';

describe('isBlank and isTooShort', () => {
  it('tells blank from short from fine', () => {
    expect(isBlank(' \t\n')).toBe(true);
    expect(isBlank('a')).toBe(false);
    expect(isTooShort('ok')).toBe(true);
    expect(isTooShort('Great!')).toBe(true);
    expect(isTooShort('  so good ')).toBe(false);
    expect(isTooShort('   ')).toBe(false);
  });

  it('does not count words in scripts written without spaces', () => {
    expect(isTooShort('这部电影很好看')).toBe(false);
    expect(isTooShort('好')).toBe(true);
  });
});

describe('junkKind', () => {
  it('accepts ordinary sentences, including ones with numbers and a link', () => {
    expect(junkKind('The film runs 120 minutes and was released in 1999.')).toBeUndefined();
    expect(junkKind('Read more at https://example.com/review today')).toBeUndefined();
    expect(junkKind('Pneumonoultramicroscopicsilicovolcanoconiosis is a word')).toBeUndefined();
    expect(junkKind('Отличный фильм, всем советую!')).toBeUndefined();
  });

  it('flags URL-only texts', () => {
    expect(junkKind('https://example.com/a?b=c')).toBe('url-only');
    expect(junkKind(' www.example.org  http://x.io ')).toBe('url-only');
  });

  it('flags base64 and hex blobs', () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    expect(junkKind(png)).toBe('base64');
    expect(junkKind('sha: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBe('base64');
  });

  it('flags texts that are mostly symbols or digits', () => {
    expect(junkKind('12345 67890 !!!')).toBe('symbols');
    expect(junkKind('$$$ ### @@@ ok')).toBe('symbols');
    expect(junkKind('!!')).toBeUndefined();
  });
});

describe('hasHtml and hasMojibake', () => {
  it('finds tags and entities but not comparisons', () => {
    expect(hasHtml('Great film.<br /><br />Loved it')).toBe(true);
    expect(hasHtml('<p class="x">hi</p>')).toBe(true);
    expect(hasHtml('Tom &amp; Jerry')).toBe(true);
    expect(hasHtml('if a < b and c > d')).toBe(false);
    expect(hasHtml('Q&A session; fine')).toBe(false);
  });

  it('finds UTF-8 read as Latin-1 and replacement characters, not real accents', () => {
    expect(hasMojibake('cafÃ© au lait')).toBe(true);
    expect(hasMojibake('it didnâ€™t work')).toBe(true);
    expect(hasMojibake('bad byte \ufffd here')).toBe(true);
    expect(hasMojibake('café, São Paulo, Ângela, naïve')).toBe(false);
  });
});
