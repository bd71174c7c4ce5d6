// One problem of a checked file (site file, training scenario), and its one-line text.
// Apart from the YAML parser so commands can print issues without loading it.

export interface FileIssue {
  line: number | null;
  field: string;
  message: string;
}

/** "site.yaml line 7: smtp.port: expected a port from 1 to 65535" */
export function describeFileIssue(name: string, issue: FileIssue): string {
  return `${name}${issue.line === null ? '' : ` line ${issue.line}`}: ${issue.field}: ${issue.message}`;
}
