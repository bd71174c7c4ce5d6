// One-second bins past their limit (MAX_BINS = 2^20 stored seconds, about 12 days of capture):
// a later second's bytes are still counted, as partial bins that cannot be merged, and each such
// partial bin counts in the average's denominator (issue 17: survivors of the mutation run). The
// records are empty Ethernet frames (malformed at once), so a million of them take a second or two
// and the test covers little besides the bins.
import { expect, it } from 'vitest';
import { Analyzer } from '../../src/capture/analyzer.js';

const MAX_BINS = 1 << 20;
const LEN = 1_000_000; // bytes per record (original length): large, so the average shows a one-bin change

it('past 2^20 stored seconds, every switch to an unstored second leaves one unmerged partial bin', () => {
  const an = new Analyzer();
  const empty = new Uint8Array(0);
  const dv = new DataView(empty.buffer);
  const at = (ts: number) => an.packet(1, empty, dv, 0, 0, LEN, ts);
  for (let s = 0; s < MAX_BINS; s++) at(s); // fills the bins: seconds 0 .. 2^20-1
  // then seconds 2^20 and 2^20+1, which find no room: 2, 1, 2, 1 records in turn
  for (const s of [MAX_BINS, MAX_BINS, MAX_BINS + 1, MAX_BINS, MAX_BINS, MAX_BINS + 1]) at(s);
  an.finish();
  // four partial bins (2, 1, 2, 1 records), none merged: the largest holds two records
  expect(an.peakBinBytes).toBe(2 * LEN);
  expect(an.binnedBytes).toBe((MAX_BINS + 6) * LEN);
  // the bytes over 2^20 stored bins and 4 partial ones (more than the 2^20+2 seconds spanned)
  expect(an.averageBitsPerSecond()).toBe(Math.round(((MAX_BINS + 6) * LEN * 8) / (MAX_BINS + 4)));
}, 120_000);
