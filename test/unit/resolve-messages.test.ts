// Command resolution: the exact outcome of every branch (issue 17, mutation survivors):
// ambiguous words, builtins with arguments, unknown commands with and without a suggestion,
// variadic and required arguments, and the usage line in each error.
import { describe, expect, it } from 'vitest';
import { resolveLine, suggest, usageLine } from '../../src/commands/resolve.js';
import { COMMANDS } from '../../src/commands/registry.js';

const error = (line: string, mode: 'network' | 'system' | null = null) => {
  const r = resolveLine(line, mode);
  if (r.kind !== 'error') throw new Error(`expected an error for "${line}", got ${JSON.stringify(r)}`);
  return r.message;
};

describe('ambiguous words', () => {
  it('a first word that fits several names lists them', () => {
    expect(error('h')).toBe('"h" is ambiguous: help, history.');
  });
  it('a second word that fits several commands lists their full names', () => {
    expect(error('network validat')).toBe('"network validat" is ambiguous: network validate, network validate-capture, network capture-check.');
  });
  it('an exact name wins over a longer one it prefixes', () => {
    const r = resolveLine('network validate', null);
    expect(r.kind === 'command' && r.command.name).toBe('validate');
  });
  it('a prefix of an alias finds the command (status is sanity)', () => {
    const r = resolveLine('system stat', null);
    expect(r.kind === 'command' && r.command.name).toBe('sanity');
  });
});

describe('builtins', () => {
  it('keep their arguments', () => {
    expect(resolveLine('hist 5 x', null)).toEqual({ kind: 'builtin', name: 'history', args: ['5', 'x'] });
    expect(resolveLine('help network list', 'system')).toEqual({ kind: 'builtin', name: 'help', args: ['network', 'list'] });
  });
});

describe('unknown commands', () => {
  it('names the first two words only, and suggests the closest path', () => {
    expect(error('netwrk lst now')).toBe('Unknown command "netwrk lst"; did you mean "network list"? Type "help" to list commands.');
  });
  it('falls back to a single name when no path is close', () => {
    expect(error('netwrk xyzzyq')).toBe('Unknown command "netwrk xyzzyq"; did you mean "network"? Type "help" to list commands.');
  });
  it('no suggestion at all: a plain full stop', () => {
    expect(error('qqqqqqqq')).toBe('Unknown command "qqqqqqqq". Type "help" to list commands.');
  });
  it('an unknown second word in a category', () => {
    expect(error('system rebot')).toBe('Unknown command "system rebot"; did you mean "system reboot"? Type "help" to list commands.');
  });
  it('the distance limit is a third of the name, at least 2, and inclusive', () => {
    expect(suggest(['hixxory'], null)).toBe('history'); // 2 edits on 7 letters: at the limit
    expect(suggest(['hixxxry'], null)).toBeNull(); // 3 edits
    expect(suggest(['netwrk', 'edt-settngs'], null)).toBe('network edit-settings'); // 3 edits on 21 letters
  });
  it('inside a category its own commands are candidates too', () => {
    expect(suggest(['sanit'], 'system')).toBe('sanity');
    expect(suggest(['sanit'], null)).toBeNull();
  });
});

describe('arguments', () => {
  it('a variadic argument takes every remaining word', () => {
    const r = resolveLine('network validate-capture a.pcap b.pcap c.pcap', null);
    expect(r.kind === 'command' && r.input.args).toEqual({ files: ['a.pcap', 'b.pcap', 'c.pcap'] });
  });
  it('a required variadic argument with no words is missing, unless --help', () => {
    expect(error('network validate-capture')).toBe(`network validate-capture: missing FILES. Usage: ${usageLine(commandNamed('validate-capture'))}`);
    const help = resolveLine('network validate-capture --help', null);
    expect(help).toMatchObject({ kind: 'command', help: true, input: { args: { files: [] } } });
  });
  it('an extra positional is refused, unless --help', () => {
    expect(error('network list eth0 eth1')).toBe('network list: unexpected argument "eth1". Usage: network list [INTERFACE] [--json]');
    expect(resolveLine('network list eth0 eth1 --help', null)).toMatchObject({ kind: 'command', help: true });
  });
  it('an unknown option names itself; the usage line shows options with their value names', () => {
    expect(error('system sanity --bogus')).toBe('system sanity: unknown option --bogus. Usage: system sanity [--timeout SECONDS] [--json]');
    expect(error('system sanity -x')).toBe('system sanity: unknown option -x. Usage: system sanity [--timeout SECONDS] [--json]');
  });
  it('an option without its value', () => {
    expect(error('system sanity --timeout')).toMatch(/^system sanity: option --timeout needs a value\. Usage: /);
  });
  it('--json and --help are flags of every command, not options passed on', () => {
    const r = resolveLine('system sanity --json --timeout 2', null);
    expect(r).toMatchObject({ kind: 'command', json: true, help: false, input: { options: { timeout: '2' } } });
    expect(r.kind === 'command' && Object.keys(r.input.options)).toEqual(['timeout']);
  });
});

function commandNamed(name: string) {
  return COMMANDS.find((c) => c.name === name)!;
}
