// The X.509 toolkit (@peculiar/x509 over Node's WebCrypto), loaded in one place: the library
// needs reflect-metadata before it and a crypto provider set once.

import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

export { x509 };
export const subtle = webcrypto.subtle;

/** ECDSA P-256 with SHA-256: what our CA signs with and the keys it makes. */
export const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** Serial numbers compare as lower-case hex without leading zeros (Node prints them upper-case, padded). */
export const normalizeSerial = (serial: string) => serial.toLowerCase().replace(/^0+(?=.)/, '');

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

export async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const [der] = x509.PemConverter.decode(pem);
  if (!der) throw new Error('no PEM private key');
  return subtle.importKey('pkcs8', der, EC_ALGORITHM, false, ['sign']);
}

export async function newKeyPair(): Promise<CryptoKeyPair> {
  return subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify']);
}
