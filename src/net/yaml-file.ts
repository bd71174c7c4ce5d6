// A YAML file checked against a schema, every problem with the line and field it is
// at: the site file (network requirements) and training scenarios read this way.
// The file is untrusted: keys and values are cut short here and escaped by the output layer.
import * as z from 'zod/mini';
import YAML, { LineCounter } from 'yaml';

import type { FileIssue } from './file-issue.js';

export { describeFileIssue, type FileIssue } from './file-issue.js';

export type FileParse<T> = { ok: true; value: T } | { ok: false; issues: FileIssue[] };

export interface YamlFileRules {
  /** The message for a key the schema does not know ("not a site file field"). */
  unknownKey: string;
  /** Say "missing (...)" when the field is absent rather than wrong. */
  markMissing?: boolean;
}

/** Aliases expanded at most this often: a "billion laughs" file stays small. */
const MAX_ALIAS_COUNT = 50;

export function parseYamlFile<T>(text: string, schema: z.ZodMiniType<T>, rules: YamlFileRules): FileParse<T> {
  const counter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({ line: counter.linePos(e.pos[0]).line, field: '(yaml)', message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') })),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    return { ok: false, issues: [{ line: null, field: '(yaml)', message: (error as Error).message.split('\n')[0]!.slice(0, 200) }] };
  }
  const parsed = z.safeParse(schema, raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues: FileIssue[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ line: lineOf(doc, counter, [...path, key]), field: [...path, shortKey(key)].join('.'), message: rules.unknownKey });
      }
      continue;
    }
    const missing = rules.markMissing === true && valueAt(raw, path) === undefined;
    issues.push({ line: lineOf(doc, counter, path), field: path.join('.') || '(top)', message: missing ? `missing (${issue.message})` : issue.message });
  }
  return { ok: false, issues };
}

/** The 1-based line of the key (or item) at path, or of its nearest existing parent. */
function lineOf(doc: YAML.Document.Parsed, counter: LineCounter, path: (string | number)[]): number | null {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: number[] } | null)?.range?.[0];
  for (const segment of path) {
    if (YAML.isMap(node)) {
      const pair = node.items.find((p) => YAML.isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (YAML.isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as { range?: number[] } | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? null : counter.linePos(offset).line;
}

/** Keys from the file are shown cut short. */
const shortKey = (key: string) => (key.length > 40 ? `${key.slice(0, 40)}...` : key);

function valueAt(raw: unknown, path: (string | number)[]): unknown {
  let value = raw;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}
