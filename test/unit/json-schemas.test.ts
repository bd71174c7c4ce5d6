// docs/schemas/ is generated from the zod result schemas each command declares
// (CommandSpec.resultSchema): this test regenerates each file and compares
// (UPDATE_SCHEMAS=1 rewrites them), checks that every command in the registry
// declares one, and checks real --json output of each command against it.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { jsonSchemaFor, resultSchemas } from '../../src/commands/result-schemas.js';
import { COMMANDS, fullName } from '../../src/commands/registry.js';
import systemShell from '../../src/commands/system/shell.js';
import systemPassword from '../../src/commands/system/password.js';
import { REPO_ROOT, runOtshell, tempStateDir } from '../helpers/cli.js';
import { PLAIN } from '../../src/output/style.js';
import type { CommandContext } from '../../src/commands/types.js';
import type { SystemAdapter } from '../../src/system/adapter.js';
import type { Prompter } from '../../src/commands/prompter.js';

const RESULT_SCHEMAS = resultSchemas(COMMANDS);

const fileFor = (command: string) => join(REPO_ROOT, 'docs/schemas', `${command.replace(/ /g, '-')}.json`);

/** Each --json line parsed and checked against the command's schema (one value, or one per line). */
function expectMatches(command: string, stdout: string): void {
  const { schema, lines } = RESULT_SCHEMAS[command]!;
  const values = lines ? stdout.split('\n').filter((l) => l.length > 0) : [stdout];
  expect(values.length, `no --json output from ${command}`).toBeGreaterThan(0);
  for (const text of values) {
    const parsed = z.safeParse(schema, JSON.parse(text));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  }
}

describe('JSON schemas', () => {
  it('every command in the registry declares its --json result schema', () => {
    const missing = COMMANDS.filter((c) => !c.resultSchema).map(fullName);
    expect(missing, 'commands without resultSchema').toEqual([]);
  });

  it.each(Object.keys(RESULT_SCHEMAS))('docs/schemas for "%s" is what the zod schema generates', (command) => {
    const generated = jsonSchemaFor(command, RESULT_SCHEMAS[command]!);
    if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(fileFor(command), generated);
    expect(existsSync(fileFor(command)), `${fileFor(command)} missing: run UPDATE_SCHEMAS=1 npx vitest run test/unit/json-schemas.test.ts`).toBe(true);
    expect(readFileSync(fileFor(command), 'utf8')).toBe(generated);
  });

  // [schema, argv, exit code, a run before it on the same state]
  const runs: [string, string[], number, string[]?][] = [
    ['system sanity', ['system', 'sanity', '--json'], 0],
    ['system reboot', ['system', 'reboot', '--yes', '--json'], 0],
    ['system shutdown', ['system', 'shutdown', '--yes', '--json'], 0],
    ['network list', ['network', 'list', '--json'], 0],
    ['network list', ['network', 'list', 'eth1', '--json'], 0],
    ['network validate', ['network', 'validate', '--json'], 0],
    ['network validate', ['network', 'validate', '--json'], 1, ['network', 'edit-settings', '--ip', '10.1.0.30', '--yes']],
    ['network edit-settings', ['network', 'edit-settings', '--ip', '10.1.0.30', '--dry-run', '--json'], 0],
    ['network edit-settings', ['network', 'edit-settings', '--ip', '10.1.0.30', '--bridge', 'eth3', '--yes', '--json'], 0],
    ['network confirm', ['network', 'confirm', '--json'], 1],
    ['network validate-capture', ['network', 'validate-capture', 'samples/enip-sample.pcap', 'samples/enip-sample.pcap', '--json'], 1],
    ['system audit', ['system', 'audit', '--json'], 0, ['network', 'edit-settings', '--ip', '10.1.0.30', '--yes']],
    ['system audit', ['system', 'audit', '--sessions', '--json'], 0, ['--user', 'cyberx', 'system', 'unlock', 'console']],
    ['system unlock', ['--user', 'cyberx', 'system', 'unlock', 'console', '--json'], 0],
  ];
  it.concurrent.each(runs)('"%s" --json output matches its schema: %j', async (command, args, exitCode, before) => {
    const state = tempStateDir();
    try {
      if (before) expect((await runOtshell(before, { stateDir: state.dir })).exitCode).toBe(0);
      const result = await runOtshell(args, { stateDir: state.dir });
      expect(result.exitCode, result.stderr).toBe(exitCode);
      expectMatches(command, result.stdout);
    } finally {
      state.cleanup();
    }
  });

  // Neither gives --json output on the simulator: system shell exists on real
  // sensors only (exit 69; with --json, 64: it is interactive), system password asks questions (refuses --json,
  // exit 64). Their handlers' results are checked against the schemas instead.
  it('"system shell" and "system password" refuse on the simulator; their handler results match their schemas', async () => {
    const state = tempStateDir();
    try {
      expect((await runOtshell(['--user', 'cyberx', 'system', 'shell'], { stateDir: state.dir })).exitCode).toBe(69);
      expect((await runOtshell(['--user', 'cyberx', 'system', 'shell', '--json'], { stateDir: state.dir })).exitCode).toBe(64);
      expect((await runOtshell(['system', 'password', '--json'], { stateDir: state.dir })).exitCode).toBe(64);
    } finally {
      state.cleanup();
    }
    const system = { openRootShell: async () => 3, changePassword: async () => {} } as unknown as SystemAdapter;
    const answers = ['support', 'N3w-Passw0rd!', 'N3w-Passw0rd!'];
    const prompter = { secret: async () => answers.shift()!, say: () => {} } as unknown as Prompter;
    const ctx: CommandContext = {
      system,
      prompter,
      style: PLAIN,
      caller: { user: 'support', role: 'root' },
      signal: new AbortController().signal,
      progress: () => {},
      json: false,
    };
    expectMatches('system shell', JSON.stringify(await systemShell.run(ctx, { args: {}, options: {} })));
    expectMatches('system password', JSON.stringify(await systemPassword.run(ctx, { args: {}, options: {} })));
  });
});
