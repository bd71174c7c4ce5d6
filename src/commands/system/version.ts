// `system version` / `cyberx-xsense-version`: the sensor's version as the
// appliance prints it ("Version: 22.2.5.9-r-2121448"), then otshell's own.
import * as z from 'zod/mini';
import { VERSION } from '../../version.js';
import { defineCommand } from '../types.js';

export interface VersionResult {
  /** The sensor software's version; null when its version file is missing. */
  version: string | null;
  /** Where it was read ("simulator" or the version file's path). */
  source: string;
  otshell: string;
}

export const VersionResultSchema = z.strictObject({ version: z.nullable(z.string()), source: z.string(), otshell: z.string() });

export default defineCommand<VersionResult>({
  category: 'system',
  name: 'version',
  spellings: ['cyberx-xsense-version'],
  summary: 'Show the sensor software version',
  description: 'Prints the sensor software version as the appliance does ("Version: 22.2.5.9-r-2121448"), read from the sensor (on real hosts the file named by sensor.versionFile in the otshell config), then the version of otshell itself.',
  examples: ['system version', 'cyberx-xsense-version', 'system version --json'],
  role: 'viewer',
  resultSchema: VersionResultSchema,
  async run(ctx) {
    const info = await ctx.system.diagnostics.version();
    return { version: info.sensor, source: info.source, otshell: VERSION };
  },
  render(result, style) {
    const sensor = result.version === null ? `unknown (no version file at ${style.untrusted(result.source)})` : style.untrusted(result.version);
    return `Version: ${sensor}\notshell: ${style.untrusted(result.otshell)}`;
  },
});
