// What the shell controller hands its view: the whole state to draw, as data.
// The contract between shell-controller.ts (behaviour) and shell-view.tsx (drawing).
import type { Category, ProgressUpdate } from '../commands/types.js';
import type { ActiveQuestion } from './ink-prompter.js';
import type { EditorState } from './line-editor.js';

export interface OutputEntry {
  id: number;
  text: string;
  tone?: 'error' | 'echo';
  /** --json output: shown exact (the output layer writes unsafe characters as \uXXXX). */
  json?: boolean;
}

export interface ShellSnapshot {
  entries: OutputEntry[];
  editor: EditorState;
  mode: Category | null;
  /** A command is running (no prompt is shown unless it asks a question). */
  busy: boolean;
  question: ActiveQuestion | null;
  /** Highlighted row and marked rows of a choice question. */
  choiceIndex: number;
  choiceMarked: ReadonlySet<number>;
  progress: ProgressUpdate | null;
  /** When the current progress began (ms), for the rate and time left. */
  progressStartedAt: number;
  /** The shell is closing: the live area is left empty. */
  exiting: boolean;
  /** A running training scenario: its title and the time left (ms; negative once up). */
  training: { title: string; leftMs: number } | null;
}

export function promptFor(mode: Category | null): string {
  return `${mode ?? 'shell'}> `;
}
