import { describe, expect, it } from 'vitest';
import { decodeKeys } from '../../src/ui/keys.js';
import * as edit from '../../src/ui/line-editor.js';
import { HistoryCursor, remember, HISTORY_LIMIT } from '../../src/ui/history.js';
import { complete, commonPrefix } from '../../src/commands/complete.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { tempStateDir } from '../helpers/cli.js';

describe('key decoding', () => {
  it('splits a fast-typed chunk into text and keys in order', () => {
    expect(decodeKeys('net li\t')).toEqual([{ name: 'text', text: 'net li' }, { name: 'tab' }]);
    expect(decodeKeys('ab\x7f\r')).toEqual([{ name: 'text', text: 'ab' }, { name: 'backspace' }, { name: 'enter' }]);
  });
  it('knows arrows, home/end and delete in both terminal dialects', () => {
    expect(decodeKeys('\x1b[A\x1b[B\x1b[C\x1b[D\x1bOH\x1b[4~\x1b[3~\x1b[1;5D').map((k) => k.name)).toEqual([
      'up', 'down', 'right', 'left', 'home', 'end', 'delete', 'left',
    ]);
  });
  it('knows the control keys', () => {
    expect(decodeKeys('\x01\x05\x15\x17\x0b\x03\x04').map((k) => k.name)).toEqual([
      'ctrl-a', 'ctrl-e', 'ctrl-u', 'ctrl-w', 'ctrl-k', 'ctrl-c', 'ctrl-d',
    ]);
  });
});

describe('line editor', () => {
  const at = (text: string, cursor: number) => ({ text, cursor });
  it('inserts at the cursor and moves', () => {
    expect(edit.insert(at('ac', 1), 'b')).toEqual(at('abc', 2));
    expect(edit.moveLeft(at('abc', 0))).toEqual(at('abc', 0));
    expect(edit.moveRight(at('abc', 3))).toEqual(at('abc', 3));
    expect(edit.moveHome(at('abc', 2))).toEqual(at('abc', 0));
    expect(edit.moveEnd(at('abc', 0))).toEqual(at('abc', 3));
  });
  it('deletes backward and forward', () => {
    expect(edit.backspace(at('abc', 2))).toEqual(at('ac', 1));
    expect(edit.backspace(at('abc', 0))).toEqual(at('abc', 0));
    expect(edit.deleteForward(at('abc', 1))).toEqual(at('ac', 1));
    expect(edit.deleteForward(at('abc', 3))).toEqual(at('abc', 3));
  });
  it('kills like readline (Ctrl-U, Ctrl-K, Ctrl-W)', () => {
    expect(edit.killToStart(at('network list', 8))).toEqual(at('list', 0));
    expect(edit.killToEnd(at('network list', 7))).toEqual(at('network', 7));
    expect(edit.killWordBack(at('network list  ', 14))).toEqual(at('network ', 8));
    expect(edit.killWordBack(at('network list', 7))).toEqual(at(' list', 0));
  });
});

describe('history', () => {
  it('walks back and forward and restores the draft', () => {
    const cursor = new HistoryCursor(['a', 'b']);
    expect(cursor.up('draft')).toBe('b');
    expect(cursor.up('b')).toBe('a');
    expect(cursor.up('a')).toBeNull();
    expect(cursor.down()).toBe('b');
    expect(cursor.down()).toBe('draft');
    expect(cursor.down()).toBeNull();
  });
  it('skips blanks and repeats and keeps 500', () => {
    let entries: string[] = [];
    for (let i = 0; i < 600; i += 1) entries = remember(entries, `cmd ${i}`);
    entries = remember(remember(entries, '   '), 'cmd 599');
    expect(entries).toHaveLength(HISTORY_LIMIT);
    expect(entries[0]).toBe('cmd 100');
    expect(entries.at(-1)).toBe('cmd 599');
  });
});

describe('completion', () => {
  const { dir } = tempStateDir();
  const system = new SimulatorAdapter(dir);
  it('completes categories, commands, options and interface names', async () => {
    expect((await complete('net', null, system)).candidates).toEqual(['network']);
    expect((await complete('network ', null, system)).candidates).toContain('list');
    expect((await complete('network list e', null, system)).candidates).toEqual(['eth0', 'eth1', 'eth2', 'eth3']);
    expect((await complete('network list --j', null, system)).candidates).toEqual(['--json']);
    expect((await complete('li', 'network', system)).candidates).toEqual(['list']);
    expect((await complete('help sys', null, system)).candidates).toEqual(['system']);
    expect((await complete('h', null, system)).candidates).toEqual(['help', 'history']);
  });
  it('reports the range to replace', async () => {
    expect(await complete('net li', null, system)).toMatchObject({ start: 4, end: 6, candidates: ['list'] });
  });
  it('finds the shared prefix', () => {
    expect(commonPrefix(['eth0', 'eth1'])).toBe('eth');
    expect(commonPrefix(['help', 'history'])).toBe('h');
  });
});
