// The live-capture port (issue 12, `network capture-check`): a capture on one
// interface streamed as pcapng, and where a capture may be kept. Real hosts run
// dumpcap (linux/capture.ts, over ssh on the remote host); the simulator
// generates the monitor ports' traffic from its state (simulator/capture.ts).

export interface LiveCapture {
  /** pcapng bytes as the capture writes them; ends when the capture ends. */
  readonly stream: AsyncIterable<Uint8Array>;
  /** Stops the capture early; the stream then ends. Safe to call more than once. */
  stop(): void;
  /** Settles when the capture process is gone (reaped): null, or why it failed (its last error line). */
  readonly finished: Promise<string | null>;
}

/** A file the capture is kept in: written to temp files, placed under its name at the end (never over an existing file). */
export interface CaptureSave {
  /** Bytes of the capture of stream `index` (one per interface). */
  write(index: number, chunk: Uint8Array): Promise<void>;
  /** Joins the streams (pcapng sections, one after another), fsyncs and links the file into place. */
  commit(): Promise<void>;
  /** Removes the temp files (on failure). */
  discard(): Promise<void>;
}

export interface CapturePort {
  /** The monitor (SPAN) interfaces of the sensor's settings: capture-check's default. */
  monitorInterfaces(): Promise<string[]>;
  /** The interfaces that exist, to refuse an unknown name before anything starts. */
  interfaceNames(): Promise<string[]>;
  /** Starts a capture of `seconds` on `iface` (a name from interfaceNames). */
  start(iface: string, seconds: number): LiveCapture;
  /**
   * Checks that `path` can take a new capture (on the machine otshell runs on):
   * refuses an existing name (file, directory, symlink) and an unwritable directory.
   */
  prepareSave(path: string, streams: number): Promise<CaptureSave>;
}
