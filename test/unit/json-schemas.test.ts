// docs/schemas/ is generated from the zod result schemas (src/commands/result-schemas.ts):
// this test regenerates each file and compares (UPDATE_SCHEMAS=1 rewrites them), and
// checks real --json output of each command against its schema.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { jsonSchemaFor, resultSchemas } from '../../src/commands/result-schemas.js';
import { COMMANDS } from '../../src/commands/registry.js';

const RESULT_SCHEMAS = resultSchemas(COMMANDS);
import { REPO_ROOT, runOtshell, tempStateDir } from '../helpers/cli.js';

const fileFor = (command: string) => join(REPO_ROOT, 'docs/schemas', `${command.replace(/ /g, '-')}.json`);

describe('JSON schemas', () => {
  it.each(Object.keys(RESULT_SCHEMAS))('docs/schemas for "%s" is what the zod schema generates', (command) => {
    const generated = jsonSchemaFor(command, RESULT_SCHEMAS[command]!);
    if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(fileFor(command), generated);
    expect(existsSync(fileFor(command)), `${fileFor(command)} missing: run UPDATE_SCHEMAS=1 npx vitest run test/unit/json-schemas.test.ts`).toBe(true);
    expect(readFileSync(fileFor(command), 'utf8')).toBe(generated);
  });

  const runs: [string, string[]][] = [
    ['system sanity', ['system', 'sanity', '--json']],
    ['system reboot', ['system', 'reboot', '--yes', '--json']],
    ['system shutdown', ['system', 'shutdown', '--yes', '--json']],
  ];
  it.concurrent.each(runs)('"%s" --json output matches its schema', async (command, args) => {
    const state = tempStateDir();
    try {
      const result = await runOtshell(args, { stateDir: state.dir });
      expect(result.exitCode, result.stderr).toBe(0);
      const parsed = z.safeParse(RESULT_SCHEMAS[command]!, JSON.parse(result.stdout));
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    } finally {
      state.cleanup();
    }
  });
});
