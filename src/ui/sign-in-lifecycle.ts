// The shell session's life from sign-in to sign-out, kept apart from the key
// handling in shell-controller.ts: who is signed in (the caller changes at
// sign-in, and back at an idle sign-out), the idle clock and its sign-out, the
// session's last audit line, and the return to the sign-in screen after an
// idle sign-out, as a console's `login:` does. The controller is the host: it
// owns the screen, the line, the question and the running command.
import type { Caller, CommandContext, RenderStyle } from '../commands/types.js';
import type { SystemAdapter } from '../system/adapter.js';
import { describeFailure } from '../commands/execute.js';
import type { Prompter } from '../commands/prompter.js';
import { effectiveIdleSeconds, sessionEndEvent, type SignedIn } from '../commands/session.js';
import { IdleClock } from './idle-clock.js';
import { EXIT } from '../errors.js';
import type { OutputEntry } from './shell-snapshot.js';

export interface ShellSession {
  system: SystemAdapter;
  style: RenderStyle;
  caller: Caller;
  /** The simulator's sign-in, run before the first prompt (src/commands/session.ts). */
  signIn?: (prompter: Prompter) => Promise<SignedIn>;
  /** Sign out after this many seconds without a key (a waiting prompt or question included). */
  idleTimeoutSeconds?: number;
  /** The user's global options, repeated in every quoted otshell hint (src/output/hints.ts). */
  hintGlobals?: readonly string[];
  /** The first lines (the usual banner or the sign-in screen); shown again when an idle sign-out returns to the sign-in. */
  banner?: string;
  /** The session's training run, whose title and time left the live area shows. */
  training?: CommandContext['training'];
}

/** What the lifecycle uses of the shell controller. */
export interface SignInHost {
  readonly prompter: Prompter;
  print(text: string, tone?: OutputEntry['tone']): void;
  changed(): void;
  exiting(): boolean;
  busy(): boolean;
  setBusy(busy: boolean): void;
  /** An idle sign-out: a waiting question is cancelled and a running command aborted. */
  interruptWork(): void;
  clearQuestion(): void;
  /** Keys typed during the sign-in, handled once it is over (unless the shell is ending). */
  flushTypeAhead(): void;
  /** The shell ends: no more keys; the exit code and the last audit line go to the caller. */
  end(code: number, recorded: Promise<void>): void;
  /** Each user has their own history: the signed-in one's. */
  useHistory(entries: readonly string[]): void;
  loadHistory(user: string): Promise<string[]>;
  /** The signed-out user's mode, line and type-ahead are dropped. */
  forgetUser(): void;
}

export class SignInLifecycle {
  /** Set once someone signed in (or no sign-in was asked for): sign-out is then audited. */
  private signedIn = false;
  /** A cut-off question is cancelled (a wizard cut off changes nothing), then the session ends. */
  private readonly idleClock = new IdleClock({ warn: (text) => this.host.print(text), expire: (seconds) => this.signOutIdle(seconds) });
  private timedOutNow = false;
  /** Seconds without a key before sign-out: the role's limit applied once signed in. */
  private idleSeconds: number;
  /** Who ran otshell, before anyone signed in: a return to the sign-in starts from here. */
  private readonly unsigned: Caller;

  constructor(
    private sessionNow: ShellSession,
    private readonly host: SignInHost,
  ) {
    this.unsigned = sessionNow.caller;
    this.idleSeconds = effectiveIdleSeconds(sessionNow.idleTimeoutSeconds, sessionNow.caller.role);
  }

  /** The session as it stands: its caller is the signed-in user once someone signed in. */
  get session(): ShellSession {
    return this.sessionNow;
  }

  /** Whether the idle clock ran out (a running command or sign-in finishes its cancellation first). */
  get timedOut(): boolean {
    return this.timedOutNow;
  }

  /** Starts the session: the idle clock, and the sign-in when the target asks for one. */
  start(): void {
    if (this.sessionNow.banner) this.host.print(this.sessionNow.banner);
    this.armIdleTimer();
    if (this.sessionNow.signIn) void this.runSignIn(this.sessionNow.signIn);
    else this.signedIn = true;
  }

  private async runSignIn(signIn: (prompter: Prompter) => Promise<SignedIn>): Promise<void> {
    this.host.setBusy(true);
    try {
      const who = await signIn(this.host.prompter);
      this.sessionNow = { ...this.sessionNow, caller: { ...this.unsigned, user: who.user, role: who.role } };
      this.host.useHistory(await this.host.loadHistory(who.user));
      this.idleSeconds = effectiveIdleSeconds(this.sessionNow.idleTimeoutSeconds, who.role);
      this.signedIn = true;
      for (const line of who.banner) this.host.print(line);
      this.host.print(`Signed in as ${who.user} (${who.role} role). Type "help" for commands, Ctrl-D to leave.`);
    } catch (error) {
      if (!this.timedOutNow) {
        const failure = describeFailure(error);
        this.host.print(failure.text, 'error');
        this.finish(failure.exitCode);
      }
    } finally {
      this.host.setBusy(false);
      this.host.clearQuestion();
      if (this.timedOutNow) this.finish();
      this.host.changed();
      this.host.flushTypeAhead();
    }
  }

  /** At every key: a waiting prompt or question counts as idle too. */
  armIdleTimer(): void {
    if (this.host.exiting()) return;
    this.idleClock.restart(this.idleSeconds);
  }

  /** No idle sign-out while another program has the terminal (its own session). */
  stopIdleClock(): void {
    this.idleClock.stop();
  }

  private signOutIdle(seconds: number): void {
    if (this.host.exiting()) return;
    this.timedOutNow = true;
    this.host.interruptWork();
    // A running command or sign-in finishes its cancellation first (the wizard releases its lock), then the shell ends.
    if (!this.host.busy()) this.finish();
  }

  /**
   * Leaving is a success: a typo made earlier in the session is not the shell's exit status.
   * An idle sign-out of someone signed in through the simulator's sign-in returns to its
   * `login:` prompt, as a console does; elsewhere (real hosts, or nobody signed in yet, as
   * login(1) gives up) the shell ends.
   */
  finish(code: number = EXIT.OK): void {
    if (this.host.exiting()) return;
    this.idleClock.stop();
    if (this.timedOutNow) this.host.print(`Signed out after ${this.idleSeconds} s without input.`);
    const record = this.recordEnd();
    if (this.timedOutNow && this.signedIn && this.sessionNow.signIn) return this.backToSignIn(this.sessionNow.signIn, record);
    this.host.end(code, record);
  }

  /** The session's last audit line: sign-out or timeout (none when nobody signed in and nothing timed out). */
  private recordEnd(): Promise<void> {
    const event = sessionEndEvent(this.sessionNow.caller, { signedIn: this.signedIn, timedOut: this.timedOutNow, idleSeconds: this.idleSeconds });
    if (!event) return Promise.resolve();
    // The session ends either way; a full disk must not keep it open.
    return this.sessionNow.system.recordSession(event).catch(() => {});
  }

  /** The signed-out user's mode, line and history are gone; the sign-in screen comes again. */
  private backToSignIn(signIn: (prompter: Prompter) => Promise<SignedIn>, recorded: Promise<void>): void {
    this.timedOutNow = false;
    this.signedIn = false;
    this.sessionNow = { ...this.sessionNow, caller: this.unsigned };
    this.host.forgetUser();
    this.host.useHistory([]);
    this.idleSeconds = effectiveIdleSeconds(this.sessionNow.idleTimeoutSeconds, this.unsigned.role);
    this.host.changed();
    void recorded.then(() => {
      if (this.sessionNow.banner) this.host.print(this.sessionNow.banner);
      this.armIdleTimer();
      void this.runSignIn(signIn);
    });
  }
}
