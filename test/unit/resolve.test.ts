import { describe, expect, it } from 'vitest';
import { resolveLine, resolveWords, matchWord, suggest, editDistance } from '../../src/commands/resolve.js';
import { tokenize } from '../../src/commands/tokenize.js';

function commandOf(line: string, mode: 'network' | 'system' | null = null) {
  const r = resolveLine(line, mode);
  if (r.kind !== 'command') throw new Error(`expected a command for "${line}", got ${JSON.stringify(r)}`);
  return r;
}

describe('abbreviations', () => {
  it('runs a command from unique prefixes of each word', () => {
    for (const line of ['network list', 'net li', 'n l', 'NET LI', 'network show', 'net ifconfig']) {
      const r = commandOf(line);
      expect(`${r.command.category} ${r.command.name}`).toBe('network list');
    }
    expect(commandOf('sys san').command.name).toBe('sanity');
  });

  it('switches category when a category is typed alone', () => {
    expect(resolveLine('net', null)).toEqual({ kind: 'category', category: 'network' });
    expect(resolveLine('system', 'network')).toEqual({ kind: 'category', category: 'system' });
  });

  it('prefers the current category inside category mode', () => {
    expect(commandOf('li', 'network').command.name).toBe('list');
    expect(commandOf('san', 'system').command.name).toBe('sanity');
    // A full path still works from another category.
    expect(commandOf('system sanity', 'network').command.name).toBe('sanity');
  });

  it('reports ambiguity with the candidates', () => {
    const items = [{ name: 'list' }, { name: 'lock' }];
    expect(matchWord('l', items)).toEqual({ kind: 'ambiguous', items });
    expect(matchWord('li', items)).toEqual({ kind: 'one', item: items[0] });
    const r = resolveLine('h', null); // help, history
    expect(r).toMatchObject({ kind: 'error' });
    expect((r as { message: string }).message).toMatch(/"h" is ambiguous: .*help.*history/);
  });

  it('an exact name beats a longer name that shares the prefix', () => {
    expect(matchWord('list', [{ name: 'list' }, { name: 'listen' }])).toMatchObject({ kind: 'one', item: { name: 'list' } });
  });
});

describe('unknown input', () => {
  it('suggests the closest command', () => {
    expect(suggest(['netwrk', 'lst'], null)).toBe('network list');
    expect(suggest(['sytem'], null)).toBe('system');
    expect(suggest(['zzzzzz'], null)).toBeNull();
    const r = resolveLine('netwrk lst', null);
    expect(r).toEqual({ kind: 'error', message: 'Unknown command "netwrk lst"; did you mean "network list"? Type "help" to list commands.' });
  });

  it('names a wrong command inside a known category', () => {
    expect(resolveLine('network lst', null)).toMatchObject({ kind: 'error', message: expect.stringContaining('did you mean "network list"?') });
  });

  it('computes edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('arguments and options', () => {
  it('parses --json and positionals', () => {
    const r = commandOf('network list eth1 --json');
    expect(r.json).toBe(true);
    expect(r.input.args.interface).toBe('eth1');
  });

  it('parses string options in both forms', () => {
    expect(commandOf('system sanity --timeout 2').input.options.timeout).toBe('2');
    expect(commandOf('system sanity --timeout=0.5').input.options.timeout).toBe('0.5');
  });

  it('refuses unknown options, missing values and extra arguments with the usage', () => {
    expect(resolveLine('network list --bogus', null)).toEqual({
      kind: 'error',
      message: 'network list: unknown option --bogus. Usage: network list [INTERFACE] [--json]',
    });
    expect(resolveLine('system sanity --timeout', null)).toMatchObject({ kind: 'error', message: expect.stringContaining('--timeout needs a value') });
    expect(resolveLine('network list eth0 eth1', null)).toMatchObject({ kind: 'error', message: expect.stringContaining('unexpected argument "eth1"') });
  });

  it('resolves argv words without re-splitting them', () => {
    const r = resolveWords(['network', 'list', 'my if'], null);
    expect(r).toMatchObject({ kind: 'command', input: { args: { interface: 'my if' } } });
  });
});

describe('tokenize', () => {
  it('splits on whitespace and honours quotes and escapes', () => {
    expect(tokenize(`a  "b c" 'd e' f\\ g`).map((w) => w.text)).toEqual(['a', 'b c', 'd e', 'f g']);
    expect(tokenize('  x ')).toEqual([{ text: 'x', start: 2, end: 3 }]);
  });
  it('reports an unterminated quote', () => {
    expect(resolveLine('network list "eth0', null)).toEqual({ kind: 'error', message: 'Unterminated double quote.' });
  });
});
