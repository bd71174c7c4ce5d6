// Splitting a typed line into words (issue 17, command resolution): whitespace, quotes,
// backslashes, and the offsets the completer uses.
import { describe, expect, it } from 'vitest';
import { quoteWord, tokenize, TokenizeError } from '../../src/commands/tokenize.js';

const texts = (line: string) => tokenize(line).map((w) => w.text);

describe('tokenize', () => {
  it('splits on any whitespace and keeps offsets', () => {
    expect(tokenize('  net\tli \n eth0 ')).toEqual([
      { text: 'net', start: 2, end: 5 },
      { text: 'li', start: 6, end: 8 },
      { text: 'eth0', start: 11, end: 15 },
    ]);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   ')).toEqual([]);
  });

  it('quotes group words and are removed; a quote inside the other kind is kept', () => {
    expect(texts(`a "b c" 'd e' "it's" 'say "hi"'`)).toEqual(['a', 'b c', 'd e', "it's", 'say "hi"']);
    expect(texts(`x"y z"w`)).toEqual(['xy zw']);
    expect(texts(`"" ''`)).toEqual(['', '']);
    expect(tokenize(`ab "c d"`)[1]).toEqual({ text: 'c d', start: 3, end: 8 });
  });

  it('backslash escapes outside quotes and inside double quotes, not inside single quotes', () => {
    expect(texts('a\\ b c')).toEqual(['a b', 'c']);
    expect(texts('"a\\"b"')).toEqual(['a"b']);
    expect(texts("'a\\b'")).toEqual(['a\\b']);
    expect(texts('\\"x')).toEqual(['"x']);
    expect(texts('end\\')).toEqual(['end\\']); // a trailing backslash is kept
  });

  it('an unterminated quote is an error naming its kind', () => {
    expect(() => tokenize('say "hi')).toThrow(new TokenizeError('Unterminated double quote.'));
    expect(() => tokenize("say 'hi")).toThrow('Unterminated single quote.');
    expect(() => tokenize('"a\\')).toThrow('Unterminated double quote.');
  });
});

describe('quoteWord', () => {
  it('leaves plain words alone and quotes the rest so tokenize gives them back', () => {
    expect(quoteWord('eth0')).toBe('eth0');
    for (const word of ['a b', 'say "hi"', "it's", 'back\\slash', 'tab\there', '']) {
      const quoted = quoteWord(word);
      if (word !== '') expect(quoted).not.toBe(word);
      expect(texts(quoted)).toEqual(word === '' ? [] : [word]);
    }
    expect(quoteWord('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});
