// `date` / `system date`: the sensor's clock, always in UTC, as date(1) prints
// it in the C locale ("Thu Sep 29 18:38:23 UTC 2022").
import * as z from 'zod/mini';
import { defineCommand } from '../types.js';

export interface DateResult {
  /** ISO 8601, UTC. */
  utc: string;
  /** As printed: "Thu Sep 29 18:38:23 UTC 2022". */
  text: string;
}

export const DateResultSchema = z.strictObject({ utc: z.string(), text: z.string() });

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** date(1)'s default format in the C locale, "%a %b %e %H:%M:%S %Z %Y": the day of the month space-padded. */
export function formatUtcDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export default defineCommand<DateResult>({
  category: 'system',
  name: 'date',
  spellings: ['date'],
  summary: 'Show the sensor\'s date and time (UTC)',
  description: 'Prints the sensor\'s clock in UTC, as the appliance\'s date does ("Thu Sep 29 18:38:23 UTC 2022"). On real hosts it is the target\'s clock (over ssh, the remote one).',
  examples: ['date', 'system date --json'],
  role: 'viewer',
  resultSchema: DateResultSchema,
  async run(ctx) {
    const ms = await ctx.system.diagnostics.clock();
    return { utc: new Date(ms).toISOString(), text: formatUtcDate(ms) };
  },
  render: (result) => result.text,
});
