// The simulator's live capture: each monitor port's traffic generated in real
// time (100 ms ticks) from the state's SPAN mirror (span-state.ts), as a
// pcapng stream like dumpcap's.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CapturePort, CaptureSave, LiveCapture } from '../capture-port.js';
import { prepareLocalSave } from '../capture-save.js';
import type { SimulatorState, SimulatorStore } from './state.js';
import { mirrorOf, MIRROR_STATES, type MirrorState } from './span-state.js';
import { SpanTraffic, pcapngHeader, pcapngPackets } from './span-traffic.js';

export const TICK_MS = 100;

export class SimulatorCapture implements CapturePort {
  constructor(
    private readonly load: () => Promise<SimulatorState>,
    private readonly store: () => SimulatorStore,
    private readonly clock: () => number = Date.now,
  ) {}

  async monitorInterfaces(): Promise<string[]> {
    return [...(await this.load()).settings.inputInterfaces];
  }

  async interfaceNames(): Promise<string[]> {
    return (await this.load()).interfaces.map((i) => i.name);
  }

  start(iface: string, seconds: number): LiveCapture {
    const controller = new AbortController();
    let settle: (error: string | null) => void = () => {};
    const finished = new Promise<string | null>((resolve) => (settle = resolve));
    const clock = this.clock;
    const load = this.load;
    async function* generate(): AsyncGenerator<Uint8Array> {
      try {
        const traffic = new SpanTraffic(mirrorOf((await load()).span, iface));
        yield pcapngHeader();
        const start = clock();
        const end = start + seconds * 1000;
        for (let next = start + TICK_MS; !controller.signal.aborted && next <= end; next += TICK_MS) {
          const wait = next - clock();
          if (wait > 0) await sleep(wait, undefined, { signal: controller.signal }).catch(() => undefined);
          if (controller.signal.aborted) break;
          const frames = traffic.next();
          if (frames.length > 0) yield pcapngPackets(frames, next);
        }
        settle(null);
      } catch (error) {
        settle(error instanceof Error ? error.message : String(error));
        throw error;
      } finally {
        settle(null);
      }
    }
    return { stream: generate(), stop: () => controller.abort(), finished };
  }

  prepareSave(path: string, streams: number): Promise<CaptureSave> {
    return prepareLocalSave(path, streams);
  }

  /** Training scenarios and tests: break (or heal) the mirror of every monitor port, or of one. */
  async setMirror(mirror: MirrorState, iface?: string): Promise<void> {
    if (!MIRROR_STATES.includes(mirror)) throw new Error(`unknown mirror state ${String(mirror)}`);
    const store = this.store();
    const state = await store.load();
    const span = { mirror: state.span?.mirror ?? 'healthy', interfaces: { ...(state.span?.interfaces ?? {}) } };
    if (iface === undefined) span.mirror = mirror;
    else span.interfaces[iface] = mirror;
    await store.save({ ...state, span });
  }
}
