// The idle sign-out clock: restarted at every key; a warning first (30 s
// before, or halfway for short timeouts), then the end. Its timers never keep
// the process alive on their own (the terminal's input does).
import { IDLE_WARNING_SECONDS } from '../commands/session.js';

export class IdleClock {
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly on: { warn(text: string): void; expire(seconds: number): void }) {}

  restart(seconds: number): void {
    this.stop();
    if (!seconds) return;
    const warnBefore = Math.min(IDLE_WARNING_SECONDS, Math.floor(seconds / 2));
    if (warnBefore > 0) {
      const text = `No input for ${seconds - warnBefore} s: you will be signed out in ${warnBefore} s unless you press a key.`;
      this.timers.push(setTimeout(() => this.on.warn(text), (seconds - warnBefore) * 1000).unref());
    }
    this.timers.push(setTimeout(() => this.on.expire(seconds), seconds * 1000).unref());
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}
