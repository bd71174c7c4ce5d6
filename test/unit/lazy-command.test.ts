// The built otshell's command list is made of lazyCommand() stand-ins
// (scripts/lazy-commands.mjs, src/commands/lazy-command.ts). Every command of the
// real list must come out the same through one: its data, the same functions in the
// same places, each calling the real one; and the module loads once, on first use.
import { describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../src/commands/command-list.js';
import { lazyCommand, type LazyCommandSpec } from '../../src/commands/lazy-command.js';
import { defineCommand, type AnyCommand } from '../../src/commands/types.js';
// @ts-expect-error: a build script (JavaScript, no types)
import { describeCommand, exportOf } from '../../scripts/lazy-commands.mjs';

const describeFor = describeCommand as (command: AnyCommand) => LazyCommandSpec;

/** The command's data and where its functions are, as comparable JSON. */
function shape(value: unknown): unknown {
  if (typeof value === 'function') return '<function>';
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k, v]) => k !== 'resultSchema' && v !== undefined).map(([k, v]) => [k, shape(v)]));
  return value;
}

describe('every command through its stand-in', () => {
  it.each(COMMANDS.map((c) => [`${c.category} ${c.name}`, c] as const))('%s: same data, same functions', (_name, command) => {
    const lazy = lazyCommand(JSON.parse(JSON.stringify(describeFor(command))), async () => command);
    expect(shape(lazy)).toEqual(shape(command));
  });

  it('each command is found in the module it comes from (default, named, or an exported list)', () => {
    const namespaces = [
      ['./network/list.js', { default: COMMANDS.find((c) => c.name === 'list') }],
      ['./troubleshoot/commands.js', { FLOW_COMMANDS: COMMANDS.filter((c) => c.category === 'troubleshoot') }],
    ];
    expect(exportOf(COMMANDS.find((c) => c.name === 'list'), namespaces)).toEqual({ specifier: './network/list.js', pick: 'm.default' });
    const flow = COMMANDS.find((c) => c.category === 'troubleshoot')!;
    expect(exportOf(flow, namespaces).pick).toBe(`m["FLOW_COMMANDS"].find((c) => c.category === "troubleshoot" && c.name === ${JSON.stringify(flow.name)})`);
    expect(() => exportOf(COMMANDS.find((c) => c.category === 'system')!, namespaces)).toThrow(/is not exported by any module/);
  });
});

describe('a stand-in', () => {
  const real = defineCommand<{ n: number }>({
    category: 'network',
    name: 'sample',
    summary: 'a sample',
    role: 'viewer',
    options: [{ name: 'iface', type: 'string', summary: 'interface', complete: (_ctx, partial) => [`${partial}0`, `${partial}1`] }],
    async run(_ctx, input) {
      return { n: Number(input.args.count ?? 1) };
    },
    render: (result) => `n=${result.n}`,
    exitCode: (result) => (result.n > 1 ? 1 : 0),
  });

  it('loads the module once, on first use, and forwards the arguments and the answer', async () => {
    const load = vi.fn(async () => real);
    const lazy = lazyCommand(JSON.parse(JSON.stringify(describeFor(real))), load);
    expect(load).not.toHaveBeenCalled();
    expect(lazy.summary).toBe('a sample');
    expect(await lazy.options![0]!.complete!({} as never, 'eth')).toEqual(['eth0', 'eth1']);
    const result = await lazy.run({} as never, { args: { count: '2' }, options: {} });
    expect(result).toEqual({ n: 2 });
    expect(lazy.render(result, {} as never)).toBe('n=2');
    expect(lazy.exitCode!(result)).toBe(1);
    expect(lazy.json).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('render before the command ran is a programming error, said as one', () => {
    const lazy = lazyCommand(JSON.parse(JSON.stringify(describeFor(real))), async () => real);
    expect(() => lazy.render({ n: 1 }, {} as never)).toThrow('otshell internal error: network sample: render called before the command ran');
  });

  it('the build refuses a function it does not know how to stand in for, and values that are not data', () => {
    expect(() => describeFor({ ...real, describe: () => 'x' } as unknown as AnyCommand)).toThrow(/network sample has a function at describe/);
    expect(() => describeFor({ ...real, pattern: /x/ } as unknown as AnyCommand)).toThrow(/not plain data at pattern/);
    expect(() => describeFor({ ...real, options: [{ ...real.options![0]!, parse: () => 1 }] } as unknown as AnyCommand)).toThrow(/function at options\.0\.parse/);
  });
});
