// A DER reader for the one structure the portable signer must understand before WebCrypto sees a key: PKCS#8
// PrivateKeyInfo (RFC 5208) with its AlgorithmIdentifier, EC named curve and RSASSA-PSS parameters (RFC 4055).
import { ClaimcRuntimeError } from '../errors.js';

/** One DER element: its tag byte and where its contents lie in the buffer. */
interface DerElement {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

const malformed = (what: string): ClaimcRuntimeError => new ClaimcRuntimeError('ERR_KEY_INVALID', `the PKCS#8 key is not valid DER: ${what}`);

/** Reads the element at `offset` (definite lengths only, as DER requires), checking it ends within `limit`. */
function readElement(der: Uint8Array, offset: number, limit: number): DerElement {
  if (offset + 2 > limit) throw malformed('truncated element');
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw malformed('multi-byte tags are not used by PKCS#8');
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw malformed('indefinite or oversized length');
    if (start + count > limit) throw malformed('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  if (start + length > limit) throw malformed('element runs past its container');
  return { tag, start, end: start + length };
}

/** The elements directly inside a constructed element. */
function children(der: Uint8Array, parent: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const element = readElement(der, at, parent.end);
    out.push(element);
    at = element.end;
  }
  return out;
}

const TAG = { integer: 0x02, octetString: 0x04, null: 0x05, oid: 0x06, sequence: 0x30 } as const;

function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (element === undefined || element.tag !== tag) throw malformed(`expected ${what}`);
  return element;
}

/** An OBJECT IDENTIFIER's contents in dotted form (X.690 §8.19). */
function oidText(der: Uint8Array, element: DerElement): string {
  const arcs: number[] = [];
  let value = 0;
  for (let i = element.start; i < element.end; i++) {
    const byte = der[i]!;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw malformed('object identifier arc too large');
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  if (arcs.length === 0 || (der[element.end - 1]! & 0x80) !== 0) throw malformed('truncated object identifier');
  return arcs.join('.');
}

const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  ed25519: '1.3.101.112',
} as const;

const hashNames: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
};

/** The restrictions an RSASSA-PSS key carries in its AlgorithmIdentifier; absent parameters mean none. */
export interface PssRestriction {
  readonly hash: string;
  readonly mgf1Hash: string;
  /** The least salt length the key may sign with. */
  readonly saltLength: number;
}

/** What a PKCS#8 PrivateKeyInfo says about its key. */
export interface Pkcs8Info {
  /** The key algorithm (the AlgorithmIdentifier OID, dotted; see {@link pkcs8KeyType} for the named ones). */
  readonly algorithm: string;
  /** EC keys: the named curve OID. */
  readonly curve: string | undefined;
  /** RSASSA-PSS keys: their parameter restriction, undefined when the key is unrestricted. */
  readonly pss: PssRestriction | undefined;
  /** The contents of the privateKey OCTET STRING (an RSAPrivateKey for both RSA types). */
  readonly privateKey: Uint8Array;
}

/** The name of a hash AlgorithmIdentifier (parameters NULL or absent). */
function hashOf(der: Uint8Array, identifier: DerElement): string {
  const [oid] = children(der, expectTag(identifier, TAG.sequence, 'a hash AlgorithmIdentifier'));
  const dotted = oidText(der, expectTag(oid, TAG.oid, 'a hash OID'));
  return hashNames[dotted] ?? dotted;
}

/** RSASSA-PSS-params (RFC 4055 §3.1): every field defaults (SHA-1, MGF1 with SHA-1, salt 20) when absent. */
function pssParameters(der: Uint8Array, parameters: DerElement): PssRestriction {
  let hash = 'sha1';
  let mgf1Hash = 'sha1';
  let saltLength = 20;
  for (const field of children(der, expectTag(parameters, TAG.sequence, 'RSASSA-PSS parameters'))) {
    const [inner] = children(der, field);
    if (inner === undefined) throw malformed('empty RSASSA-PSS parameter');
    switch (field.tag) {
      case 0xa0:
        hash = hashOf(der, inner);
        break;
      case 0xa1: {
        const [mgf, mgfHash] = children(der, expectTag(inner, TAG.sequence, 'a mask generation AlgorithmIdentifier'));
        const mgfName = oidText(der, expectTag(mgf, TAG.oid, 'a mask generation OID'));
        if (mgfName !== OID.mgf1 || mgfHash === undefined) throw malformed(`unsupported mask generation function ${mgfName}`);
        mgf1Hash = hashOf(der, mgfHash);
        break;
      }
      case 0xa2:
        saltLength = integerValue(der, expectTag(inner, TAG.integer, 'a salt length'));
        break;
      case 0xa3:
        if (integerValue(der, expectTag(inner, TAG.integer, 'a trailer field')) !== 1) throw malformed('trailer field other than 1');
        break;
      default:
        throw malformed('unknown RSASSA-PSS parameter');
    }
  }
  return { hash, mgf1Hash, saltLength };
}

function integerValue(der: Uint8Array, element: DerElement): number {
  if (element.end - element.start > 4 || element.end === element.start) throw malformed('integer out of range');
  let value = 0;
  for (let i = element.start; i < element.end; i++) value = value * 256 + der[i]!;
  return value;
}

/**
 * Parses a PKCS#8 PrivateKeyInfo (DER). Throws `ERR_KEY_INVALID` on anything that is not well-formed DER.
 *
 * @example
 * parsePkcs8(der).algorithm // '1.2.840.113549.1.1.1' for an RSA key
 */
export function parsePkcs8(der: Uint8Array): Pkcs8Info {
  const outer = readElement(der, 0, der.length);
  if (outer.tag !== TAG.sequence || outer.end !== der.length) throw malformed('expected one PrivateKeyInfo SEQUENCE');
  const [version, identifier, privateKey] = children(der, outer);
  expectTag(version, TAG.integer, 'the version INTEGER');
  const [algorithm, parameters] = children(der, expectTag(identifier, TAG.sequence, 'the AlgorithmIdentifier'));
  const oid = oidText(der, expectTag(algorithm, TAG.oid, 'the algorithm OID'));
  const key = expectTag(privateKey, TAG.octetString, 'the privateKey OCTET STRING');
  const curve = oid === OID.ecPublicKey && parameters?.tag === TAG.oid ? oidText(der, parameters) : undefined;
  const pss = oid === OID.rsassaPss && parameters !== undefined && parameters.tag !== TAG.null ? pssParameters(der, parameters) : undefined;
  return { algorithm: oid, curve, pss, privateKey: der.slice(key.start, key.end) };
}

/** The key types claimc signs with, by their PKCS#8 algorithm. */
export type Pkcs8KeyType = 'RSA' | 'RSA-PSS' | 'P-256' | 'Ed25519';

/**
 * Names the key type of parsed PKCS#8 (undefined for anything claimc does not sign with, e.g. EC on another curve).
 *
 * @example
 * pkcs8KeyType(parsePkcs8(der)) // 'RSA-PSS'
 */
export function pkcs8KeyType(info: Pkcs8Info): Pkcs8KeyType | undefined {
  switch (info.algorithm) {
    case OID.rsaEncryption:
      return 'RSA';
    case OID.rsassaPss:
      return 'RSA-PSS';
    case OID.ecPublicKey:
      return info.curve === OID.p256 ? 'P-256' : undefined;
    case OID.ed25519:
      return 'Ed25519';
    default:
      return undefined;
  }
}

/** DER length octets. */
function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return [0x80 | bytes.length, ...bytes];
}

function encode(tag: number, contents: Uint8Array): Uint8Array {
  const head = [tag, ...lengthOctets(contents.length)];
  const out = new Uint8Array(head.length + contents.length);
  out.set(head);
  out.set(contents, head.length);
  return out;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

// AlgorithmIdentifier { rsaEncryption, NULL }
const rsaEncryptionIdentifier = Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00);

/**
 * The same RSA private key as a PKCS#8 under `rsaEncryption`: WebCrypto imports RSASSA-PSS keys only in that
 * form; the PSS restriction is enforced by the caller, which binds the key to PS256.
 *
 * @example
 * importPKCS8(pemOf(rsaEncryptionPkcs8(parsePkcs8(der))), 'PS256')
 */
export function rsaEncryptionPkcs8(info: Pkcs8Info): Uint8Array {
  return encode(TAG.sequence, concat(Uint8Array.of(TAG.integer, 1, 0), rsaEncryptionIdentifier, encode(TAG.octetString, info.privateKey)));
}

/**
 * Why an RSASSA-PSS key cannot sign PS256 (SHA-256, MGF1 with SHA-256, 32-byte salt), or undefined when it can.
 *
 * @example
 * pssRefusal({ hash: 'sha384', mgf1Hash: 'sha384', saltLength: 48 }) // 'its parameters restrict it to sha384 …'
 */
export function pssRefusal(restriction: PssRestriction | undefined): string | undefined {
  if (restriction === undefined) return undefined;
  const { hash, mgf1Hash, saltLength } = restriction;
  if (hash === 'sha256' && mgf1Hash === 'sha256' && saltLength <= 32) return undefined;
  return `its parameters restrict it to ${hash} with MGF1-${mgf1Hash} and a salt of at least ${saltLength} bytes, and PS256 signs with sha256, MGF1-sha256 and a 32-byte salt`;
}

/**
 * The DER bytes of a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), or undefined when the text holds none
 * (`ERR_KEY_INVALID` when it starts one that is cut off or not base64).
 *
 * @example
 * pkcs8Der(pemText)?.length // 1217
 */
export function pkcs8Der(pem: string): Uint8Array | undefined {
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) return undefined;
  const body = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem)?.[1];
  if (body === undefined) throw malformed('the PEM has no END PRIVATE KEY line');
  let text: string;
  try {
    text = atob(body.replace(/\s+/g, ''));
  } catch {
    throw malformed('the PEM body is not base64');
  }
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/**
 * A PEM of DER PKCS#8 bytes.
 *
 * @example
 * pkcs8Pem(rsaEncryptionPkcs8(info)) // '-----BEGIN PRIVATE KEY-----\nMII…'
 */
export function pkcs8Pem(der: Uint8Array): string {
  let binary = '';
  for (const byte of der) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}
