// OPC UA over TLS (IANA opcua-tls, TCP 4843): encrypted, so known by its port only.
import { bytes } from './bytes.js';
import { defineProtocol } from './table.js';

export default defineProtocol({
  name: 'opcua_tls',
  ot: true,
  bindings: [{ on: 'tcp', values: [4843] }],
  // a TLS 1.2 record header (handshake) and a few bytes
  example: () => bytes([0x16, 0x03, 0x03, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00]),
});
