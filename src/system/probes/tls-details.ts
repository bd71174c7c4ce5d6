// What the HTTPS and LDAPS rows show of a server's certificate.
import type { X509Certificate } from 'node:crypto';
import type { TlsDetails } from '../../net/requirements.js';

/** Subject and issuer as one line ("CN=sensor, O=Site"); the text is the server's, so untrusted. */
const oneLine = (name: string) => name.split('\n').filter(Boolean).join(', ');

export function tlsDetailsOf(cert: X509Certificate): TlsDetails {
  let selfSigned = false;
  try {
    // Self-signed: it names itself as issuer and its own key verifies its signature.
    selfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    selfSigned = false;
  }
  const expiry = new Date(cert.validTo);
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    validTo: Number.isNaN(expiry.getTime()) ? cert.validTo : expiry.toISOString(),
    selfSigned,
  };
}

export function describeTls(details: TlsDetails, now: number = Date.now()): string {
  const days = Math.floor((Date.parse(details.validTo) - now) / 86_400_000);
  const expiry = Number.isNaN(days) ? `expires ${details.validTo}` : days < 0 ? `EXPIRED ${details.validTo.slice(0, 10)}` : `expires ${details.validTo.slice(0, 10)} (${days} days)`;
  return `TLS handshake done; subject ${details.subject || '(empty)'}; issuer ${details.issuer || '(empty)'}; ${expiry}; ${details.selfSigned ? 'self-signed' : 'CA-signed'}`;
}
