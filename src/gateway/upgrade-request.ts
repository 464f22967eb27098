// Reading a station's WebSocket upgrade request: its id (the URL's last path segment,
// URL-decoded, so a charger that appends its id to any configured URL works), the OCPP
// sub-protocol to speak, its Basic-auth credentials and its TLS client certificate.

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export const SUPPORTED_PROTOCOLS = ['ocpp1.6'] as const;
export type OcppProtocol = (typeof SUPPORTED_PROTOCOLS)[number];

/** The OCPP 1.6 security whitepaper caps the identity at 48 characters; we allow a little more. */
const MAX_STATION_ID_LENGTH = 64;

export type StationIdResult = { ok: true; stationId: string } | { ok: false; reason: string };

/**
 * The path of a request target. Leading slashes are collapsed first: "//CP001" (a base URL ending
 * in "/" plus "/" and the id) would otherwise parse as a URL whose host is "CP001".
 */
export function requestPath(rawUrl: string | undefined): string {
  return new URL((rawUrl ?? '/').replace(/^\/{2,}/, '/'), 'http://localhost').pathname;
}

export function stationIdFromPath(rawUrl: string | undefined): StationIdResult {
  const path = requestPath(rawUrl);
  const last = path.split('/').filter((segment) => segment.length > 0).at(-1);
  // "/ocpp/" or "/ocpp" is the route prefix without an id, not a station called "ocpp".
  if (!last || last.toLowerCase() === 'ocpp') return { ok: false, reason: 'The URL must end with the station id, e.g. /ocpp/CP001' };
  let stationId: string;
  try {
    stationId = decodeURIComponent(last);
  } catch {
    return { ok: false, reason: 'The station id in the URL is not validly URL-encoded' };
  }
  if (stationId.length > MAX_STATION_ID_LENGTH) return { ok: false, reason: `The station id is longer than ${MAX_STATION_ID_LENGTH} characters` };
  // Control characters and slashes cannot be shown or addressed safely.
  if (/[\u0000-\u001f\u007f/]/.test(stationId)) return { ok: false, reason: 'The station id contains control characters or "/"' };
  return { ok: true, stationId };
}

export type ProtocolChoice =
  /** `header` is what to answer in Sec-WebSocket-Protocol (the client's own spelling), if anything. */
  | { ok: true; protocol: OcppProtocol; header: string | undefined }
  | { ok: false; offered: string[] };

/** A client that offers no sub-protocol is served as OCPP 1.6; one that offers only others is refused. */
export function chooseProtocol(header: string | undefined): ProtocolChoice {
  const offered = (header ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol.length > 0);
  if (offered.length === 0) return { ok: true, protocol: 'ocpp1.6', header: undefined };
  for (const candidate of offered) {
    const known = SUPPORTED_PROTOCOLS.find((protocol) => protocol === candidate.toLowerCase());
    if (known) return { ok: true, protocol: known, header: candidate };
  }
  return { ok: false, offered };
}

export interface BasicCredentials {
  user: string;
  password: string;
}

export function basicCredentials(request: IncomingMessage): BasicCredentials | undefined {
  const header = request.headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export interface ClientCertificate {
  commonNames: string[];
  /** As Node prints it: upper-case hex. */
  serialNumber: string;
  /** Chains to a CA the TLS port trusts and is within its validity. */
  trusted: boolean;
  /** Why it is not trusted (e.g. CERT_HAS_EXPIRED), when it is not. */
  problem: string | undefined;
}

/** Whether the request came over TLS, and the client certificate it presented, if any. */
export function tlsOf(request: IncomingMessage): { secure: boolean; clientCertificate: ClientCertificate | undefined } {
  const socket = request.socket as Partial<TLSSocket>;
  if (!socket.encrypted || !socket.getPeerCertificate) return { secure: false, clientCertificate: undefined };
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0 || !peer.serialNumber) return { secure: true, clientCertificate: undefined };
  const cn = peer.subject?.CN as string | string[] | undefined;
  return {
    secure: true,
    clientCertificate: {
      commonNames: cn === undefined ? [] : Array.isArray(cn) ? cn : [cn],
      serialNumber: peer.serialNumber,
      trusted: socket.authorized === true,
      problem: socket.authorized ? undefined : String(socket.authorizationError ?? 'not trusted'),
    },
  };
}
