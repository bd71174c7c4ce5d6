// A command whose module loads only when the command is used: in the built otshell each
// entry of the command list is one of these (scripts/lazy-commands.mjs makes them from
// src/commands/command-list.ts at build time), so a one-shot command initialises its own
// module and not every other command's (zod schemas, the capture tables, the flows).
// The command's description (names, options, role, help) is data taken from the real
// command when otshell was built; each of its functions is a stand-in that loads the
// module and calls the real function. From source (tests), the list is the real commands.
import type { AnyCommand } from './types.js';

/** Where a function sits in a command: ['run'], ['options', 2, 'complete']. */
export type FunctionPath = readonly (string | number)[];

export interface LazyCommandSpec {
  /** The command without its functions and its result schema (JSON made at build time). */
  data: Record<string, unknown>;
  /**
   * Its functions. `loads`: the stand-in may load the module first (run, and completers,
   * which may answer with a promise); otherwise the module is loaded already, because the
   * function only ever gets a result of `run` (render, json, exitCode).
   */
  functions: readonly { path: FunctionPath; loads: boolean }[];
}

type Loose = Record<string | number, unknown>;
const at = (root: unknown, path: FunctionPath): unknown => path.reduce<unknown>((node, key) => (node as Loose)[key], root);

export function lazyCommand(spec: LazyCommandSpec, load: () => Promise<AnyCommand>): AnyCommand {
  let real: AnyCommand | undefined;
  const loaded = async () => (real ??= await load());
  const command = spec.data as Loose;
  for (const { path, loads } of spec.functions) {
    // Called on the real command's own object, as the real code would be (`this` included).
    const call = (target: AnyCommand, args: unknown[]) => (at(target, path) as (...a: unknown[]) => unknown).apply(at(target, path.slice(0, -1)), args);
    const standIn = loads
      ? async (...args: unknown[]) => call(await loaded(), args)
      : (...args: unknown[]) => {
          // A programming error, never the user's: the command's result came from somewhere other than its run().
          if (!real) throw new Error(`otshell internal error: ${String(command.category)} ${String(command.name)}: ${path.join('.')} called before the command ran`);
          return call(real, args);
        };
    (at(command, path.slice(0, -1)) as Loose)[path[path.length - 1]!] = standIn;
  }
  return command as unknown as AnyCommand;
}
