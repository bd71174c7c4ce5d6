// The interactive shell's behaviour as plain data and methods: keys in,
// a snapshot out. The Ink view (shell-view.tsx) only draws the snapshot.
// Keeping this out of React means a chunk of several keys ("net li\t") is
// applied in order against current state, never against a stale render.
// Sign-in, idle sign-out and the session's end: sign-in-lifecycle.ts.
import type { Category, CommandContext, ProgressUpdate } from '../commands/types.js';
import { dispatchLine } from '../commands/dispatch.js';
import { commandsFor } from '../commands/registry.js';
import { describeFailure } from '../commands/execute.js';
import { InkPrompter, type ActiveQuestion } from './ink-prompter.js';
import type { Key } from './keys.js';
import * as edit from './line-editor.js';
import { HistoryCursor, remember } from './history.js';
import { repeatGlobals } from '../output/hints.js';
import { editingKey } from './editing-keys.js';
import { ChoiceCursor } from './choice-cursor.js';
import { completeWord, nextWords, type WordHelp } from './word-help.js';
import { promptFor, type OutputEntry, type ShellSnapshot } from './shell-snapshot.js';
import { SignInLifecycle, type ShellSession } from './sign-in-lifecycle.js';

export { promptFor, type OutputEntry, type ShellSession, type ShellSnapshot };

export interface ShellHooks {
  /** Called after every change; the view re-renders from snapshot(). */
  changed(): void;
  /** `audited`: settles once the session's last audit line is on disk (await it before the process exits). */
  exit(code: number, audited?: Promise<void>): void;
  /** Clears the terminal once the output printed so far has been drawn, then calls `cleared`. */
  clearScreen(cleared?: () => void): void;
  /** Each user has their own history: the signed-in one's (the caller's when there is no sign-in). */
  saveHistory(user: string, entries: readonly string[]): void;
  loadHistory(user: string): Promise<string[]>;
  /** Stops reading the terminal (cooked mode, no key listener) until the returned function is called. */
  releaseTerminal?(): () => void;
}

export class ShellController {
  private entries: OutputEntry[] = [];
  private nextId = 0;
  private editor: edit.EditorState = edit.EMPTY_LINE;
  private mode: Category | null = null;
  private busy = false;
  private question: ActiveQuestion | null = null;
  private readonly choice = new ChoiceCursor();
  private progress: ProgressUpdate | null = null;
  private progressStartedAt = 0;
  private history: string[];
  private historyCursor: HistoryCursor;
  private abort: AbortController | null = null;
  private exiting = false;
  /** Keys typed while a command runs wait here, as a terminal's line discipline would keep them. */
  private typeAhead: Key[] = [];
  private readonly prompter: InkPrompter;
  /** Who is signed in, the idle clock and the session's end (sign-in-lifecycle.ts). */
  private readonly lifecycle: SignInLifecycle;

  constructor(
    session: ShellSession,
    history: readonly string[],
    private readonly hooks: ShellHooks,
  ) {
    this.history = [...history];
    this.historyCursor = new HistoryCursor(this.history);
    this.prompter = new InkPrompter(
      (question) => this.setQuestion(question),
      (text) => this.print(text),
    );
    this.lifecycle = new SignInLifecycle(session, {
      prompter: this.prompter,
      print: (text, tone) => this.print(text, tone),
      changed: () => this.hooks.changed(),
      exiting: () => this.exiting,
      busy: () => this.busy,
      setBusy: (busy) => {
        this.busy = busy;
      },
      interruptWork: () => {
        if (this.question) this.question.cancel('interrupt');
        this.abort?.abort();
      },
      clearQuestion: () => {
        this.question = null;
      },
      flushTypeAhead: () => {
        const pending = this.typeAhead.splice(0);
        if (pending.length > 0 && !this.exiting) this.handleKeys(pending);
      },
      end: (code, recorded) => {
        this.exiting = true;
        this.hooks.changed();
        this.hooks.exit(code, recorded);
      },
      useHistory: (entries) => this.useHistory(entries),
      loadHistory: (user) => this.hooks.loadHistory(user),
      forgetUser: () => {
        this.mode = null;
        this.editor = edit.EMPTY_LINE;
        this.typeAhead = [];
      },
    });
  }

  /** The session as it stands: the signed-in user is its caller. */
  private get session(): ShellSession {
    return this.lifecycle.session;
  }

  snapshot(): ShellSnapshot {
    return {
      entries: this.entries,
      editor: this.editor,
      mode: this.mode,
      busy: this.busy,
      question: this.question,
      choiceIndex: this.choice.index,
      choiceMarked: this.choice.marked,
      progress: this.progress,
      progressStartedAt: this.progressStartedAt,
      exiting: this.exiting,
      training: this.session.training?.liveStatus() ?? null,
    };
  }

  print(text: string, tone?: OutputEntry['tone'], json?: boolean): void {
    this.entries = [...this.entries, { id: this.nextId++, text, tone, json }];
    this.hooks.changed();
  }

  /** Starts the session: the idle clock, and the sign-in when the target asks for one. */
  start(): void {
    this.lifecycle.start();
  }

  private useHistory(entries: readonly string[]): void {
    this.history = [...entries];
    this.historyCursor = new HistoryCursor(this.history);
  }

  handleKeys(keys: Key[]): void {
    if (this.exiting) return;
    this.lifecycle.armIdleTimer();
    // Keys typed right after Ctrl-L (one burst: "^L sys ?") wait for the clear to be drawn;
    // handled before it, their output would be printed and then wiped by the clear.
    if (this.keysAfterClear) {
      this.keysAfterClear.push(...keys);
      return;
    }
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys[i]!;
      if (key.name === 'ctrl-l' && this.question?.kind !== 'choice' && !(this.busy && !this.question)) {
        this.keysAfterClear = keys.slice(i + 1);
        this.hooks.clearScreen(() => this.afterClear());
        break;
      }
      this.handleKey(key);
    }
    this.hooks.changed();
  }

  /** Keys that came after Ctrl-L, held until the clear was drawn. */
  private keysAfterClear: Key[] | null = null;

  private afterClear(): void {
    const rest = this.keysAfterClear ?? [];
    this.keysAfterClear = null;
    if (rest.length > 0) this.handleKeys(rest);
  }

  private handleKey(key: Key): void {
    if (this.question?.kind === 'choice') return this.choice.key(key, this.question, (text, tone) => this.print(text, tone));
    if (this.busy && !this.question) {
      if (key.name === 'ctrl-c') this.abort?.abort();
      else this.typeAhead.push(key);
      return;
    }
    if (key.name === 'text' && !this.question && key.text.includes('?')) return this.typeWithHelpKey(key.text);
    const edited = editingKey(this.editor, key);
    if (edited) {
      this.editor = edited;
      return;
    }
    switch (key.name) {
      case 'enter':
        return this.submit();
      case 'tab':
        if (!this.question) void this.completeWord();
        return;
      case 'up':
      case 'down':
        if (!this.question) this.browseHistory(key.name);
        return;
      case 'ctrl-l':
        this.hooks.clearScreen();
        return;
      case 'ctrl-c':
        return this.interrupt();
      case 'ctrl-d':
        if (this.question) return this.question.cancel('eof');
        if (this.editor.text === '') return this.leave();
        this.editor = edit.deleteForward(this.editor);
        return;
      default:
        return;
    }
  }

  private currentLabel(): string {
    return this.question?.label ?? promptFor(this.mode);
  }

  private interrupt(): void {
    const typed = this.question?.kind === 'line' && this.question.secret ? '' : this.editor.text;
    this.print(`${this.currentLabel()}${typed}^C`, 'echo');
    this.editor = edit.EMPTY_LINE;
    if (this.question) this.question.cancel('interrupt');
  }

  private leave(): void {
    this.print(`${promptFor(this.mode)}exit`, 'echo');
    this.lifecycle.finish();
  }

  private setQuestion(question: ActiveQuestion | null): void {
    this.question = question;
    this.editor = question?.kind === 'line' && question.initial ? edit.lineOf(question.initial) : edit.EMPTY_LINE;
    if (question?.kind === 'choice') this.choice.reset(question);
    // Keys typed while the command worked between two questions belong to this one
    // (a fast typist or pasted answers), not to the shell prompt after the command.
    if (question) for (const key of this.typeAhead.splice(0)) this.handleKey(key);
    this.hooks.changed();
  }

  private submit(): void {
    const line = this.editor.text;
    if (this.question?.kind === 'line') {
      const question = this.question;
      this.print(question.secret ? question.label : `${question.label}${line}`, 'echo');
      this.editor = edit.EMPTY_LINE;
      const error = question.submit(line);
      if (error) this.print(error, 'error');
      return;
    }
    this.print(`${promptFor(this.mode)}${line}`, 'echo');
    this.editor = edit.EMPTY_LINE;
    this.history = remember(this.history, line);
    this.historyCursor = new HistoryCursor(this.history);
    if (line.trim() !== '') this.hooks.saveHistory(this.session.caller.user, this.history);
    void this.run(line);
  }

  private async run(line: string): Promise<void> {
    this.busy = true;
    this.abort = new AbortController();
    const ctx: CommandContext = {
      ...this.session,
      prompter: this.prompter,
      signal: this.abort.signal,
      progress: (update) => {
        if (this.progress === null || this.progress.label !== update.label) this.progressStartedAt = Date.now();
        this.progress = update.done >= update.total ? null : update;
        this.hooks.changed();
      },
      json: false,
      ...(this.hooks.releaseTerminal ? { handOverTerminal: (work) => this.handOver(work) } : {}),
    };
    try {
      const result = await dispatchLine(line, { mode: this.mode, history: this.history }, ctx);
      this.mode = result.mode;
      if (result.outcome) {
        const text = result.outcome.json ? result.outcome.text : repeatGlobals(result.outcome.text, this.session.hintGlobals);
        if (text !== '') this.print(text, result.outcome.isError ? 'error' : undefined, result.outcome.json);
      }
      if (result.clearScreen) this.hooks.clearScreen();
      if (result.exit) this.lifecycle.finish();
    } catch (error) {
      this.print(repeatGlobals(describeFailure(error).text, this.session.hintGlobals), 'error');
    } finally {
      this.busy = false;
      this.question = null;
      this.progress = null;
      this.abort = null;
      if (this.lifecycle.timedOut) this.lifecycle.finish();
      this.hooks.changed();
      const pending = this.typeAhead.splice(0);
      if (pending.length > 0) this.handleKeys(pending);
    }
  }

  /** `system shell`: the program has the terminal; no idle sign-out while it runs (its own session). */
  private async handOver<T>(work: () => Promise<T>): Promise<T> {
    this.lifecycle.stopIdleClock();
    const reclaim = this.hooks.releaseTerminal!();
    try {
      return await work();
    } finally {
      reclaim();
      this.lifecycle.armIdleTimer();
    }
  }

  private browseHistory(direction: 'up' | 'down'): void {
    const entry = direction === 'up' ? this.historyCursor.up(this.editor.text) : this.historyCursor.down();
    if (entry !== null) this.editor = edit.lineOf(entry);
  }

  private async completeWord(): Promise<void> {
    const typed = this.editor.text;
    const help = await completeWord(this.editor, this.mode, this.session.system, commandsFor(this.session.caller.role), promptFor(this.mode));
    if (this.editor.text !== typed) return; // the user typed on meanwhile
    this.applyHelp(help);
  }

  /** "?" at the prompt is a key, not a character: it shows what may come next. */
  private typeWithHelpKey(text: string): void {
    text.split(/(\?)/).forEach((part) => {
      if (part === '?') this.applyHelp({ editor: this.editor, lines: nextWords(this.editor, this.mode, commandsFor(this.session.caller.role), promptFor(this.mode)) });
      else if (part) this.editor = edit.insert(this.editor, part);
    });
  }

  private applyHelp(help: WordHelp): void {
    this.editor = help.editor;
    for (const line of help.lines) this.print(line.text, line.tone);
    this.hooks.changed();
  }

  /** Reports a failure from outside a command (e.g. the history file) without a stack trace. */
  reportError(error: unknown): void {
    this.print(describeFailure(error).text, 'error');
  }
}

