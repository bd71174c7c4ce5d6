// The --json results as zod schemas: the documented contract of each command's
// JSON output. docs/schemas/*.json is generated from these (z.toJSONSchema) and
// test/unit/json-schemas.test.ts checks both the files and real --json output
// against them. Commands without a schema here are not covered yet.
import * as z from 'zod/mini';

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

/** Command (as typed) -> its result schema; the file name in docs/schemas/ is the words joined by "-". */
export const RESULT_SCHEMAS: Record<string, z.ZodMiniType> = {
  'system sanity': SanityResultSchema,
  'system reboot': RebootResultSchema,
  'system shutdown': ShutdownResultSchema,
};

/** The JSON Schema document for one command, as written to docs/schemas/. */
export function jsonSchemaFor(command: string): string {
  const schema = z.toJSONSchema(RESULT_SCHEMAS[command]!);
  return `${JSON.stringify({ ...schema, title: `otshell ${command} --json` }, null, 2)}\n`;
}
