// The architecture's rules as a checker over source text: it reads the import
// graph (import/export-from/dynamic import specifiers, resolved to files and
// layers) and the output calls of every file. design.test.ts runs it on src/
// and on small fixtures that must fail.
import { posix } from 'node:path';

export interface SourceFile {
  /** Repository-relative, forward slashes, e.g. "src/commands/network/list.ts". */
  path: string;
  text: string;
}

export interface Violation {
  rule: string;
  path: string;
  detail: string;
}

/** Layers from the top; imports point down only. The bottom three are one level (net is the leaf of it). */
export const LAYERS = ['bin', 'cli', 'ui', 'output', 'commands', 'bottom'] as const;
type Layer = (typeof LAYERS)[number] | 'leaf';

/** Imports allowed although they break a rule, each with why. Kept to exactly these. */
export const ALLOWED_IMPORTS: { from: string; to: string; why: string }[] = [];

const LEAVES = new Set(['src/errors.ts', 'src/version.ts', 'src/cut.ts', 'src/time-text.ts', 'src/lazy-fs.ts']);

export function layerOf(path: string): Layer | null {
  if (LEAVES.has(path)) return 'leaf';
  if (path.startsWith('bin/')) return 'bin';
  const top = /^src\/([^/]+)\//.exec(path)?.[1];
  switch (top) {
    case 'cli':
    case 'ui':
    case 'output':
    case 'commands':
      return top;
    case 'system':
    case 'capture':
    case 'net':
      return 'bottom';
    default:
      return null;
  }
}

/** Code without comments, so a comment that mentions /proc or console.log is not a violation. */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
}

export interface ImportEdge {
  specifier: string;
  /** Resolved repository path for relative specifiers, else null (a package). */
  target: string | null;
  dynamic: boolean;
}

/** Every import, export-from, side-effect import and dynamic import() of a file. */
export function importsOf(file: SourceFile, known: ReadonlySet<string>): ImportEdge[] {
  const code = stripComments(file.text);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, dynamic: boolean) => edges.push({ specifier, target: resolve(file.path, specifier, known), dynamic });
  for (const m of code.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) add(m[1]!, false);
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) add(m[1]!, false);
  for (const m of code.matchAll(/\bimport\s*\(\s*(['"`]?)([^'"`)]*)\1\s*\)/g)) add(m[1] ? m[2]! : `<non-literal ${m[2]!.trim()}>`, true);
  for (const m of code.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1]!, true);
  return edges;
}

function resolve(from: string, specifier: string, known: ReadonlySet<string>): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = base.replace(/\.(js|jsx|ts|tsx|mjs)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`]) if (known.has(candidate)) return candidate;
  return `${stem}.ts`; // unknown file: still placed in its folder's layer
}

const FS_PROMISES =
  /\bimport\s+(?!type\b)[^;'"]*\bfrom\s*['"](node:)?fs\/promises['"]|\b(import|require)\s*\(\s*['"](node:)?fs\/promises['"]|\bimport\s*\{[^}]*\bpromises\b[^}]*\}\s*from\s*['"](node:)?fs['"]/;

const rank = (layer: Layer) => LAYERS.indexOf(layer as (typeof LAYERS)[number]);

/** Within the bottom level: system and capture may use net; net uses neither; system and capture not each other. */
function bottomEdgeAllowed(from: string, to: string): boolean {
  const part = (p: string) => /^src\/([^/]+)\//.exec(p)![1];
  return part(from) === part(to) || part(to) === 'net';
}

const OUTPUT_CALL = /\bprocess\s*\.\s*(stdout|stderr)\s*\.\s*write\b|\bconsole\s*\.\s*\w+|\.(stdout|stderr)\s*\.\s*write\s*\(/;

export function checkDesign(files: SourceFile[]): Violation[] {
  const known = new Set(files.map((f) => f.path));
  const out: Violation[] = [];
  const flag = (rule: string, path: string, detail: string) => out.push({ rule, path, detail });

  for (const file of files) {
    const layer = layerOf(file.path);
    if (layer === null) continue;
    const code = stripComments(file.text);
    // node:fs/promises only through src/lazy-fs.ts, which loads it on first use (start-up);
    // its types may be imported anywhere.
    if (file.path !== 'src/lazy-fs.ts' && FS_PROMISES.test(code)) flag('lazy-fs', file.path, 'imports node:fs/promises: take it from src/lazy-fs.ts');

    for (const edge of importsOf(file, known)) {
      if (edge.specifier.startsWith('<non-literal')) {
        // The one exception: the entry's bundle loader imports dist/ink-runtime.mjs (a build
        // output, not a source module) for the bundle (bin/load-bundle.js, src/ui/ink-runtime.ts).
        if (file.path === 'bin/load-bundle.js') continue;
        flag('imports', file.path, `dynamic import of a computed specifier ${edge.specifier}`);
        continue;
      }
      if (edge.target === null) {
        // Packages: Ink and React only where the interactive view is drawn.
        if (/^(ink|react)(\/|$)/.test(edge.specifier) && layer !== 'ui' && file.path !== 'src/output/ink-text.tsx') {
          flag('ink-react', file.path, `imports ${edge.specifier}`);
        }
        if (/^(node:)?child_process$|^execa$/.test(edge.specifier) && !file.path.startsWith('src/system/')) {
          flag('spawn', file.path, `imports ${edge.specifier}`);
        }
        continue;
      }
      const target = edge.target;
      if (ALLOWED_IMPORTS.some((a) => a.from === file.path && a.to === target)) continue;
      const targetLayer = layerOf(target);
      if (targetLayer === null) continue;
      if (layer === 'leaf') {
        flag('layers', file.path, `a leaf module imports ${target}`);
        continue;
      }
      if (targetLayer === 'leaf') continue;
      if (rank(targetLayer) < rank(layer)) {
        flag('layers', file.path, `${layer} imports ${target} from the higher layer ${targetLayer}`);
      } else if (layer === 'bottom' && targetLayer === 'bottom' && !bottomEdgeAllowed(file.path, target)) {
        flag('layers', file.path, `imports ${target} sideways`);
      } else if (layer === 'commands' && target.startsWith('src/system/') && target !== 'src/system/adapter.ts' && !/^src\/system\/[a-z-]+-port\.ts$/.test(target)) {
        // The ports: adapter.ts, and a feature's own port file (src/system/<feature>-port.ts) that SystemAdapter names.
        flag('ports', file.path, `commands see only the ports, but this imports ${target}`);
      }
      if (target === 'src/output/ink-text.tsx' && layer !== 'ui') {
        flag('ink-react', file.path, 'imports the Ink text component outside the interactive view');
      }
    }

    if (file.path.startsWith('src/') && !file.path.startsWith('src/output/')) {
      const isCli = file.path.startsWith('src/cli/');
      for (const line of code.split('\n')) {
        const m = OUTPUT_CALL.exec(line);
        if (!m) continue;
        // src/cli may name process.stdout.write (to hand the stream on) but calls it only through the sink.
        if (isCli && !/\.\s*write\s*\(|console/.test(m[0])) continue;
        flag('output', file.path, `writes past the output layer: ${line.trim()}`);
      }
    }

    if (file.path !== 'src/output/ink-text.tsx') {
      if (/<Text\b/.test(code)) flag('text', file.path, 'draws an Ink <Text> directly; use SafeText from src/output');
      if (/import\s*\{[^}]*\bText\b[^}]*\}\s*from\s*['"]ink['"]/.test(code)) flag('text', file.path, 'imports Ink Text; use SafeText from src/output');
    }
    if (layer === 'ui') {
      for (const m of code.matchAll(/\bwrite\s*\(([^)]*)\)/g)) {
        if (!/^\s*TERMINAL\.\w+\s*$/.test(m[1]!)) flag('output', file.path, `writes raw text to the terminal: write(${m[1]})`);
      }
    }

    if (!file.path.startsWith('src/system/')) {
      if (/['"`]\/(proc|sys)\/|['"`]\/etc\/(netplan|resolv\.conf|network|hosts)/.test(code)) flag('spawn', file.path, 'reads /proc, /sys or network configuration');
    }
    if (/shell\s*:\s*(true|['"`])/.test(code)) flag('spawn', file.path, 'runs a command through a shell');
  }
  return out;
}
