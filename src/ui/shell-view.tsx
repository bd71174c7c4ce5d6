// The Ink view of the shell: finished output goes to <Static> (it scrolls like
// a normal terminal); the live area below is only the prompt line, a question,
// or a progress bar, so a keystroke redraws one short line.
import { useEffect, useMemo, useReducer } from 'react';
import { Box, Static, useCursor, useStdin, useStdout } from 'ink';
import { decodeKeys } from './keys.js';
import { promptFor, ShellController, type OutputEntry, type ShellSession, type ShellSnapshot } from './shell-controller.js';
import { fittedProgressLine } from '../output/format.js';
import { SafeText } from '../output/ink-text.js';
import { escapeValue, untrusted } from '../output/escape.js';
import { TERMINAL } from '../output/sink.js';
import { ChoiceSelect } from './choice-select.js';
import { timeLeftText } from '../commands/training/common.js';

/** node's libuv handle behind a TTY stream (net.Socket internals): what pausing its read needs. */
type TtyHandle = { readStop(): number; readStart(): number };

/** What SafeText needs of the session's style. */
type Look = { color: boolean; ascii: boolean };

export interface ShellViewProps {
  session: ShellSession;
  history: readonly string[];
  onExit(code: number, audited?: Promise<void>): void;
  saveHistory(user: string, entries: readonly string[]): void;
  loadHistory(user: string): Promise<string[]>;
}

export function ShellView({ session, history, onExit, saveHistory, loadHistory }: ShellViewProps) {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const { stdout, write } = useStdout();
  const [clearRequests, requestClear] = useReducer((n: number) => n + 1, 0);
  const afterClear = useMemo(() => ({ pending: [] as (() => void)[] }), []);
  // After the render that drew the echoed "clear" line, so the clear removes it too;
  // then the keys typed after Ctrl-L go on, so their output lands on the cleared screen.
  useEffect(() => {
    if (clearRequests === 0) return;
    write(TERMINAL.clearScreen);
    afterClear.pending.splice(0).forEach((then) => then());
  }, [clearRequests, write, afterClear]);
  // A resized terminal gets the live area drawn again at its new width (Ink alone
  // redraws the old rows, cut with an ellipsis, until the next key).
  useEffect(() => {
    stdout.on('resize', rerender);
    return () => {
      stdout.off('resize', rerender);
    };
  }, [stdout]);
  const { internal_eventEmitter: input, setRawMode, stdin } = useStdin();
  const controller = useMemo(() => {
    const shell = new ShellController(session, history, {
      changed: rerender,
      exit: onExit,
      clearScreen: (cleared) => {
        if (cleared) afterClear.pending.push(cleared);
        requestClear();
      },
      saveHistory,
      loadHistory,
      // Ink stops reading stdin (and leaves raw mode) when its last raw-mode user lets go: this view is the only one.
      releaseTerminal: () => {
        setRawMode(false);
        // Ink no longer consumes stdin, but node's read on the terminal stays armed and would
        // take the program's keys (or fail with EIO once a job-control shell takes the
        // foreground): stop the handle's read until the terminal comes back.
        const handle = (stdin as unknown as { _handle?: TtyHandle })._handle;
        if (!handle) return () => setRawMode(true);
        // Its `reading` flag is not kept for TTYs: stop unconditionally (harmless when idle), and
        // keep the stream's own machinery from arming it again until the terminal comes back.
        const readStart = handle.readStart;
        handle.readStart = () => 0;
        handle.readStop();
        return () => {
          handle.readStart = readStart;
          handle.readStart();
          setRawMode(true);
        };
      },
    });
    shell.start();
    return shell;
    // The controller lives as long as the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // While a training scenario runs, its time left ticks in the live area.
  useEffect(() => {
    const tick = setInterval(() => {
      if (controller.snapshot().training) rerender();
    }, 1000);
    return () => clearInterval(tick);
  }, [controller]);

  useEffect(() => {
    setRawMode(true);
    const onInput = (data: string) => controller.handleKeys(decodeKeys(data));
    input?.on('input', onInput);
    return () => {
      input?.off('input', onInput);
      setRawMode(false);
    };
  }, [controller, input, setRawMode]);

  const snap = controller.snapshot();
  const width = stdout.columns || 80;
  return (
    <>
      <Static items={snap.entries}>{(entry) => <OutputLine key={entry.id} entry={entry} look={session.style} width={width} />}</Static>
      <LiveArea snap={snap} width={width} look={session.style} />
    </>
  );
}

function OutputLine({ entry, look, width }: { entry: OutputEntry; look: Look; width: number }) {
  return <SafeText text={entry.text} look={look} columns={width} json={entry.json} unstyled={entry.tone !== undefined} color={look.color && entry.tone === 'error' ? 'red' : undefined} />;
}

function LiveArea({ snap, width, look }: { snap: ShellSnapshot; width: number; look: Look }) {
  const ascii = look.ascii;
  const { setCursorPosition } = useCursor();
  const question = snap.question;
  if (snap.exiting) {
    setCursorPosition(undefined);
    return null;
  }

  if (question?.kind === 'choice' && !question.multiple) {
    setCursorPosition(undefined);
    return (
      <Box flexDirection="column">
        <SafeText text={question.label} look={look} columns={width} />
        <ChoiceSelect choices={question.choices} index={snap.choiceIndex} look={look} />
        <SafeText dimColor look={look} text="Up/Down move, Enter accepts, Ctrl-C cancels" />
      </Box>
    );
  }

  if (question?.kind === 'choice') {
    setCursorPosition(undefined);
    const pointer = ascii ? '>' : '\u276f';
    return (
      <Box flexDirection="column">
        <SafeText text={question.label} look={look} columns={width} />
        {question.choices.map((choice, i) => {
          const mark = question.multiple ? (snap.choiceMarked.has(i) ? '[x] ' : '[ ] ') : '';
          const here = i === snap.choiceIndex;
          return (
            <SafeText key={i} inverse={here} look={look} text={`${here ? pointer : ' '} ${mark}${untrusted(choice.label)}${choice.hint ? `  (${untrusted(choice.hint)})` : ''}`} />
          );
        })}
        <SafeText dimColor look={look} text={question.multiple ? 'Up/Down move, Space marks, Enter accepts, Ctrl-C cancels' : 'Up/Down move, Enter accepts, Ctrl-C cancels'} />
      </Box>
    );
  }

  if (snap.busy && !question) {
    setCursorPosition(undefined);
    if (!snap.progress) return null;
    const elapsedSeconds = (Date.now() - snap.progressStartedAt) / 1000;
    return <SafeText look={look} wrap="truncate" text={fittedProgressLine(snap.progress, elapsedSeconds, width, ascii)} />;
  }

  // The input line, hard-wrapped at the terminal width so the cursor's cell is exact.
  const label = question?.kind === 'line' ? question.label : promptFor(snap.mode);
  // A password is not drawn at all (as login(1)): not even its length shows.
  const typed = question?.kind === 'line' && question.secret ? '' : snap.editor.text;
  // Rows and the cursor's cell counted on the line as shown: a typed or pasted
  // control character shows as its escape ("\x9b", "\u202e"), several cells wide.
  const full = label + escapeValue(typed);
  const rows: string[] = [];
  for (let i = 0; i < full.length || rows.length === 0; i += width) rows.push(full.slice(i, i + width));
  const cursorCell = label.length + (typed === '' ? 0 : escapeValue(typed.slice(0, snap.editor.cursor)).length);
  if (cursorCell === rows.length * width) rows.push('');
  const trainingLine = snap.training ? `Training: ${untrusted(snap.training.title)} | ${timeLeftText(snap.training.leftMs)}` : null;
  setCursorPosition({ x: cursorCell % width, y: Math.floor(cursorCell / width) + (trainingLine ? 1 : 0) });
  return (
    <Box flexDirection="column">
      {trainingLine ? <SafeText wrap="truncate" dimColor look={look} text={trainingLine} /> : null}
      {rows.map((row, i) => (
        <SafeText key={i} wrap="truncate" look={look} text={row} />
      ))}
    </Box>
  );
}
