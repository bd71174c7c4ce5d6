// Build-time patches to Ink and yoga for a shell used over slow SSH links and
// serial consoles. Each replaces an exact snippet and fails the build if the
// snippet is gone (after an upgrade), so a patch can never silently stop applying.
// Measured effect: npm run bench:startup (bytes per keystroke, first prompt).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const lineEchoModule = fileURLToPath(new URL('../src/ui/line-echo.ts', import.meta.url));

const PATCHES = [
  {
    // The prompt line's echo: a frame whose only change is on the cursor's row and
    // that src/ui/line-echo.ts can express as a terminal's own echo ("h", "\b \b", ICH/DCH in place) is written
    // that way; every other frame goes through Ink's diff unchanged.
    file: /ink[\\/]build[\\/]log-update\.js$/,
    prepend: `import { frameEcho as otshellFrameEcho } from ${JSON.stringify(lineEchoModule)};\n`,
    replacements: [
      [
        `const previousVisible = visibleLineCount(previousLines, previousOutput);`,
        `const previousVisible = visibleLineCount(previousLines, previousOutput);
        const echo = cursorWasShown ? otshellFrameEcho(previousOutput, str, previousCursorPosition, activeCursor, stream.columns, stream.rows) : undefined;
        if (echo !== undefined) {
            if (echo !== '') stream.write(echo);
            previousCursorPosition = { ...activeCursor };
            previousOutput = str;
            previousLines = nextLines;
            return true;
        }`,
      ],
    ],
  },
  {
    // Redraw a changed prompt line from its first differing column instead of
    // column 0: typing one character then sends that character, not the whole line.
    // Only for a one-line frame (the prompt): taller frames (choice lists) keep
    // Ink's whole-line redraw, which the tmux tests showed must stay as it is.
    file: /ink[\\/]build[\\/]log-update\.js$/,
    replacements: [
      [
        `buffer.push(ansiEscapes.cursorTo(0) +
                nextLines[i] +`,
        `const unchanged = visibleCount === 1 && previousVisible === 1 ? unchangedColumns(previousLines[i], nextLines[i]) : 0;
            buffer.push(ansiEscapes.cursorTo(unchanged) +
                nextLines[i].slice(unchanged) +`,
      ],
      [
        // Ink's frames end with a line feed, so the cursor sits one row below the
        // last line: going up visible-1 rows started every multi-line redraw (a
        // choice list after Up/Down) one row too low, leaving the top row stale and
        // a second pointer behind. The one-line prompt was right only because
        // CSI 0 A moves one row. test/e2e/screens.test.ts compares the whole screen.
        `buffer.push(ansiEscapes.cursorUp(previousVisible - 1));`,
        `buffer.push(ansiEscapes.cursorUp(previousOutput.endsWith('\\n') ? previousVisible : previousVisible - 1));`,
      ],
    ],
    append: `
// Columns equal characters only for plain printable ASCII without escapes.
function unchangedColumns(previous, next) {
  if (previous === undefined || !/^[\\x20-\\x7e]*$/.test(previous) || !/^[\\x20-\\x7e]*$/.test(next)) return 0;
  let i = 0;
  while (i < previous.length && i < next.length && previous[i] === next[i]) i++;
  return i;
}
`,
  },
  {
    // Synchronized-update brackets cost 16 bytes a keystroke; each frame is already
    // one write, and PuTTY and the Linux console ignore them anyway.
    file: /ink[\\/]build[\\/]write-synchronized\.js$/,
    replacements: [[`return 'isTTY' in stream && stream.isTTY === true && !isInCi;`, `return false;`]],
  },
  {
    // yoga fetch()es its embedded wasm from a data: URL, which loads Node's HTTP
    // client (undici) at startup; decode the embedded bytes directly instead.
    file: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
    replacements: [[`"function"!=typeof fetch?Promise.resolve()`, `!0?Promise.resolve()`]],
  },
];

export const terminalPatches = {
  name: 'otshell-terminal-patches',
  setup(build) {
    // One loader per file applying every patch for it (esbuild uses only the first
    // onLoad that answers, so two patches of one file must be applied together).
    const files = [...new Set(PATCHES.map((patch) => patch.file.source))].map((source) => new RegExp(source));
    for (const file of files) {
      build.onLoad({ filter: file }, async (args) => {
        let contents = await readFile(args.path, 'utf8');
        let prepend = '';
        let append = '';
        for (const patch of PATCHES.filter((p) => p.file.source === file.source)) {
          for (const [from, to] of patch.replacements) {
            if (!contents.includes(from)) throw new Error(`terminal patch no longer applies to ${args.path}: ${from.slice(0, 60)}…`);
            contents = contents.replace(from, to);
          }
          prepend += patch.prepend ?? '';
          append += patch.append ?? '';
        }
        return { contents: prepend + contents + append, loader: 'js' };
      });
    }
  },
};
