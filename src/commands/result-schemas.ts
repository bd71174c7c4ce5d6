// The --json results as zod schemas: the documented contract of each command's
// JSON output. docs/schemas/*.json is generated from these (z.toJSONSchema) and
// test/unit/json-schemas.test.ts checks both the files and real --json output
// against them. A command declares its schema (CommandSpec.resultSchema); the
// shared parts of result shapes live here.
import * as z from 'zod/mini';
import type { AnyCommand } from './types.js';

const cancelled = z.nullable(z.enum(['interrupt', 'eof', 'attempts']));

/** `system sanity --json` (src/system/adapter.ts SanityReport). */
export const SanityResultSchema = z.strictObject({
  status: z.enum(['up', 'down', 'starting']),
  profile: z.string(),
  services: z.array(
    z.strictObject({
      name: z.string(),
      status: z.enum(['running', 'stopped', 'starting', 'not-responding']),
      uptimeSeconds: z.optional(z.number().check(z.minimum(0))),
      detail: z.optional(z.string()),
    }),
  ),
});

/** `system reboot --yes --json` (src/commands/system/reboot.ts RebootResult). */
export const RebootResultSchema = z.strictObject({
  rebooted: z.boolean(),
  pendingSettings: z.boolean(),
  cancelled,
});

/** `system shutdown --yes --json` (src/commands/system/shutdown.ts ShutdownResult). */
export const ShutdownResultSchema = z.strictObject({
  poweredOff: z.boolean(),
  pendingSettings: z.boolean(),
  cancelled,
});

/** What one command's --json prints: a single value, or one value per line (JSON Lines). */
export interface ResultSchema {
  schema: z.ZodMiniType;
  lines: boolean;
}

/** Command path -> its result schema, from the declarations; the file name in docs/schemas/ is the words joined by "-". */
export function resultSchemas(commands: AnyCommand[]): Record<string, ResultSchema> {
  return Object.fromEntries(
    commands
      .filter((c) => c.resultSchema)
      .map((c) => {
        const declared = c.resultSchema!;
        const result: ResultSchema = 'lines' in declared ? { schema: declared.lines, lines: true } : { schema: declared, lines: false };
        return [`${c.category} ${c.name}`, result];
      }),
  );
}

/** The JSON Schema document for one command, as written to docs/schemas/. */
export function jsonSchemaFor(command: string, result: ResultSchema): string {
  const document = z.toJSONSchema(result.schema);
  const title = `otshell ${command} --json`;
  const described = result.lines ? { title, description: 'One JSON object per line (JSON Lines); this schema is of each line.' } : { title };
  return `${JSON.stringify({ ...document, ...described }, null, 2)}\n`;
}
