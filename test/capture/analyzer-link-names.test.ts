// Unsupported link types name their hierarchy node; protocol ids are shared by every analysis in
// the process and a hierarchy node has 256 child slots, so past 224 names a new link type goes to
// one catch-all node, while a name already known keeps its own (issue 17: survivors of the
// mutation run). Alone in its file: it fills the process's name table, which vitest gives each
// test file afresh.
import { expect, it } from 'vitest';
import { protoCount } from '../../src/capture/protocols.js';
import { ends, fed, feed, reportOf } from './helpers/direct.js';

it('link types get their own node up to 224 names, then one catch-all; known names keep theirs', () => {
  const c0 = protoCount();
  expect(c0).toBeLessThan(220); // the registered protocols and port names leave room
  const own = 224 - c0; // new names that still fit
  const an = fed(10000, [new Uint8Array(4)]);
  for (let t = 10001; t < 10000 + own + 2; t++) feed(an, t, new Uint8Array(4));
  expect(protoCount()).toBe(225); // 224 names and the catch-all
  feed(an, 10000, new Uint8Array(4)); // the first one again: its own node
  const expected = [
    `linktype_10000 2`,
    ...Array.from({ length: own - 1 }, (_, i) => `linktype_${10001 + i} 1`),
    'unsupported_link_type 2',
  ];
  expect(ends(reportOf(an))).toEqual(expected.sort());
});
