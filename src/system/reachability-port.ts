// The port `network requirements` checks the site's firewall rules through:
// it reads the site file and runs one probe per rule from where the target is
// (this host, the remote sensor over ssh, or the simulated site network).
import type { ProbeRequest, ProbeResult } from '../net/requirements.js';

export interface SiteFileText {
  /** The path read (as given, or the configured one). */
  path: string;
  /** null when the file does not exist. */
  text: string | null;
}

export interface ReachabilityPort {
  /**
   * The site file: `override` (--site FILE) is read where otshell runs (the
   * engineer's copy); otherwise the file the target's config names.
   */
  readSiteFile(override?: string): Promise<SiteFileText>;
  /**
   * Runs one probe, bounded by timeoutMs (a drop becomes "no answer" in time).
   * Never throws for what it finds: refused, dropped and unresolved are results.
   */
  probe(request: ProbeRequest, options: { timeoutMs: number; managementAddress: string | null }): Promise<ProbeResult>;
}
