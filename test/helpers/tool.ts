// Tests that need a system tool run for real in CI; locally they may skip, saying why.
import { execaSync } from 'execa';

export function hasTool(command: string, args: string[] = ['-V']): boolean {
  try {
    // A missing tool fails at once (ENOENT); the bound is only for one that hangs. netplan --help
    // (python) took over 5 s at a load average of 40, which read as "not installed" and failed CI.
    execaSync(command, args, { reject: true, timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** True when the suite should skip; prints the reason. In CI a missing tool is a failure. */
export function skipWithout(tool: string, args?: string[]): boolean {
  if (hasTool(tool, args)) return false;
  if (process.env.CI === 'true') throw new Error(`${tool} is required in CI but was not found: install it in .ci/run`);
  console.warn(`skipping: ${tool} is not installed (these tests run in CI)`);
  return true;
}

/**
 * True when the suite should skip because `missing` names what this machine lacks (null: nothing);
 * prints the reason. In CI a missing part is a failure, never a silent skip.
 */
export function skipBecause(missing: string | null): boolean {
  if (missing === null) return false;
  if (process.env.CI === 'true') throw new Error(`${missing}: CI must provide it (.ci/run runs as root and installs the tools)`);
  console.warn(`skipping: ${missing} (these tests run in CI)`);
  return true;
}
