// MMS PDUs straight in COTP data (no session/presentation headers): each confirm condition of
// src/capture/protocols/mms.ts directMms/berContent met and broken one at a time (issue 17: the
// detectors' mutation run found these branches without a test: BER long-form lengths, the
// invokeID and initiate-integer lengths, elements cut short).
import { describe, expect, it } from 'vitest';
import { analyzeBuffer } from '../../src/capture/index.js';
import { tcpFrame, writePcap } from './helpers/writer.js';

/** TPKT + COTP DT + data, on TCP port 102. */
function onIsoTsap(data: number[]): Buffer {
  const b = Buffer.concat([Buffer.from([3, 0, 0, 0, 2, 0xf0, 0x80]), Buffer.from(data)]);
  b.writeUInt16BE(b.length, 2);
  return tcpFrame('00:0e:8c:00:00:01', '00:0e:8c:00:00:02', '10.0.0.1', '10.0.0.2', 40000, 102, b);
}
const isMms = (data: number[]) => analyzeBuffer(writePcap([{ ts: 1_700_000_000, data: onIsoTsap(data) }])).otProtocols.some((p) => p.name === 'mms');

describe('MMS straight in COTP data', () => {
  it.each([
    ['confirmed-Request, invokeID of 1 byte', [0xa0, 0x03, 0x02, 0x01, 0x01]],
    ['confirmed-Response, invokeID of 4 bytes', [0xa1, 0x06, 0x02, 0x04, 1, 2, 3, 4]],
    ['a BER length in one extra byte (0x81)', [0xa0, 0x81, 0x03, 0x02, 0x01, 0x01]],
    ['a BER length in two extra bytes (0x82)', [0xa0, 0x82, 0x00, 0x03, 0x02, 0x01, 0x01]],
    ['initiate-Request, localDetail [0] of 1 byte', [0xa8, 0x03, 0x80, 0x01, 0x01]],
    ['initiate-Response, [1] of 4 bytes', [0xa9, 0x06, 0x81, 0x04, 0, 0, 0, 1]],
    ['the smallest whole element: content of 3 bytes', [0xa0, 0x03, 0x02, 0x01, 0x07]],
  ])('found: %s', (_name, data) => {
    expect(isMms(data)).toBe(true);
  });

  it.each([
    ['invokeID of 0 bytes', [0xa0, 0x03, 0x02, 0x00, 0x01]],
    ['invokeID of 5 bytes', [0xa0, 0x07, 0x02, 0x05, 1, 2, 3, 4, 5]],
    ['confirmed PDU whose first element is not an INTEGER', [0xa0, 0x03, 0x04, 0x01, 0x01]],
    ['confirmed PDU whose first element is [0], as initiate has', [0xa0, 0x03, 0x80, 0x01, 0x01]],
    ['initiate whose first element is [2]', [0xa8, 0x03, 0x82, 0x01, 0x01]],
    ['initiate whose first element is an INTEGER, as confirmed has', [0xa8, 0x03, 0x02, 0x01, 0x01]],
    ['initiate integer of 0 bytes', [0xa8, 0x03, 0x80, 0x00, 0x01]],
    ['initiate integer of 5 bytes', [0xa9, 0x07, 0x81, 0x05, 1, 2, 3, 4, 5]],
    ['a BER length in three extra bytes (0x83)', [0xa0, 0x83, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01]],
    ['an indefinite BER length (0x80)', [0xa0, 0x80, 0x02, 0x01, 0x01]],
    ['0x81 with its length byte missing', [0xa0, 0x81]],
    ['0x82 with one of its two length bytes', [0xa0, 0x82, 0x00]],
    ['content cut short: two bytes after the header', [0xa0, 0x03, 0x02, 0x01]],
    ['content cut short after a long-form length', [0xa0, 0x81, 0x03, 0x02, 0x01]],
    ['the tag alone', [0xa0]],
  ])('not found: %s', (_name, data) => {
    expect(isMms(data)).toBe(false);
  });
});
