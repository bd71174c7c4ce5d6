// Plain output of the CLI: the two sinks (stdout, stderr) through the output
// layer, a command's outcome reported, a failure's one line. Shared by main.ts
// (before the first prompt) and session-run.ts (after it).
import type { Writable } from 'node:stream';
import { OutputSink } from '../output/sink.js';
import { repeatGlobals } from '../output/hints.js';
import type { ExitCode } from '../errors.js';
import type { Outcome } from '../commands/execute.js';

/** Where plain output goes: stdout and stderr, each through the output layer. */
export interface Sinks {
  out: OutputSink;
  err: OutputSink;
  /** The user's own global options, repeated in every `"otshell ..."` hint (see repeatGlobals). */
  globals?: string[];
}

type Stream = Writable & { isTTY?: boolean; columns?: number };

export function sinksFor(streams: { stdout: Stream; stderr: Stream }, look: { color: boolean; ascii: boolean }): Sinks {
  // Wrapped to the terminal's width with hanging indents; pipes and files get whole lines.
  const width = (stream: { isTTY?: boolean; columns?: number }) => (stream.isTTY ? stream.columns || 80 : undefined);
  // Errors are never coloured: stderr may be a log file while stdout is a terminal.
  return {
    out: new OutputSink(streams.stdout, { ...look, width: width(streams.stdout) }),
    err: new OutputSink(streams.stderr, { color: false, ascii: look.ascii, markers: 'escape', width: width(streams.stderr) }),
  };
}

/** Every plain result leaves here: text through the output layer, --json exact. */
export function report(streams: Sinks, outcome: Outcome): ExitCode {
  if (outcome.text === '') return outcome.exitCode;
  const sink = outcome.isError ? streams.err : streams.out;
  if (outcome.json && !outcome.isError) sink.json(outcome.text);
  else sink.line(repeatGlobals(outcome.text, streams.globals));
  return outcome.exitCode;
}

export function fail(streams: Sinks, outcome: Outcome): ExitCode {
  streams.err.line(repeatGlobals(outcome.text, streams.globals));
  return outcome.exitCode;
}

