// DNS wire format for the resolver. Decoding and encoding go through `dns-packet`: a
// well-kept, widely used codec (name compression on decode, EDNS options, every record type)
// beats a hand-written one, and forwarded traffic is never decoded at all: its 16-bit id is
// rewritten in place and an answer's question compared byte by byte with the query's. The few helpers here are the byte-level bits dns-packet lacks:
// in-place id rewriting, error replies built straight from a query's bytes (so even a query
// dns-packet rejects gets an answer), and the 2-byte length framing of DNS over TCP.
import dnsPacket from 'dns-packet';
import type { DecodedPacket, Packet } from 'dns-packet';

export type { Answer, Packet } from 'dns-packet';

/** What dns-packet's decode returns: its typings omit the opcode and rcode it sets. */
export type Message = DecodedPacket & { opcode: string; rcode: string };

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export const FLAG_QR = 0x8000;
export const FLAG_TC = 0x0200;
export const FLAG_RD = 0x0100;
export const FLAG_RA = 0x0080;

export const HEADER_LEN = 12;
/** Without EDNS a UDP answer may not exceed this (RFC 1035). */
export const UDP_MIN_PAYLOAD = 512;

export function decodeMessage(buf: Buffer): Message | null {
  if (buf.length < HEADER_LEN) return null;
  try {
    return dnsPacket.decode(buf) as Message;
  } catch {
    return null;
  }
}

export const encodeMessage = (p: Packet): Buffer => dnsPacket.encode(p);
export const encodedLength = (p: Packet): number => dnsPacket.encodingLength(p);

export const readId = (buf: Buffer): number => buf.readUInt16BE(0);
export const writeId = (buf: Buffer, id: number): void => {
  buf.writeUInt16BE(id, 0);
};

/** Offset just past the first question, or -1 when the bytes do not hold one. */
function endOfFirstQuestion(buf: Buffer): number {
  if (buf.length < HEADER_LEN || buf.readUInt16BE(4) < 1) return -1;
  let off = HEADER_LEN;
  while (off < buf.length) {
    const len = buf[off];
    if (len === 0) return off + 5 <= buf.length ? off + 5 : -1;
    if ((len & 0xc0) !== 0) return -1; // queries do not compress their question
    off += len + 1;
  }
  return -1;
}

/** Offset just past the name starting at `off` (uncompressed), or -1. */
function endOfName(buf: Buffer, off: number): number {
  while (off < buf.length) {
    const len = buf[off];
    if (len === 0) return off + 1;
    if ((len & 0xc0) !== 0) return -1;
    off += len + 1;
  }
  return -1;
}

const lowerAscii = (b: number): number => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);

/**
 * Whether `answer` carries the same question section as `query`: the same count, and per
 * question the same name (ASCII case-insensitively: servers may echo 0x20-mixed case), type and
 * class. An answer to another question is a spoof or a stray (RFC 5452, 9.1).
 */
export function sameQuestions(query: Buffer, answer: Buffer): boolean {
  if (query.length < HEADER_LEN || answer.length < HEADER_LEN) return false;
  const count = query.readUInt16BE(4);
  if (count === 0 || answer.readUInt16BE(4) !== count) return false;
  let qo = HEADER_LEN;
  let ao = HEADER_LEN;
  for (let i = 0; i < count; i++) {
    const qEnd = endOfName(query, qo);
    const aEnd = endOfName(answer, ao);
    if (qEnd < 0 || aEnd < 0 || qEnd - qo !== aEnd - ao || qEnd + 4 > query.length || aEnd + 4 > answer.length) return false;
    // label length bytes are below 0x40, so folding them is harmless
    for (let k = 0; k < qEnd - qo; k++) if (lowerAscii(query[qo + k]) !== lowerAscii(answer[ao + k])) return false;
    if (query.readUInt32BE(qEnd) !== answer.readUInt32BE(aEnd)) return false; // type and class
    qo = qEnd + 4;
    ao = aEnd + 4;
  }
  return true;
}

/**
 * An answer with no records and the given rcode, echoing the query's id, RD bit and (when
 * readable) its question. Null for bytes too short to carry an id, or for a response.
 */
export function errorReply(query: Buffer, rcode: number): Buffer | null {
  if (query.length < HEADER_LEN || (query.readUInt16BE(2) & FLAG_QR) !== 0) return null;
  const qend = endOfFirstQuestion(query);
  const out = Buffer.alloc(qend > 0 ? qend : HEADER_LEN);
  query.copy(out, 0, 0, qend > 0 ? qend : 4);
  const opcode = query.readUInt16BE(2) & 0x7800;
  out.writeUInt16BE(FLAG_QR | opcode | (query.readUInt16BE(2) & FLAG_RD) | FLAG_RA | (rcode & 0xf), 2);
  out.writeUInt16BE(qend > 0 ? 1 : 0, 4);
  out.writeUInt32BE(0, 6);
  out.writeUInt16BE(0, 10);
  return out;
}

/** Prefixes a message with its 2-byte length, as DNS over TCP carries it. */
export function frame(msg: Buffer): Buffer {
  const out = Buffer.allocUnsafe(msg.length + 2);
  out.writeUInt16BE(msg.length, 0);
  msg.copy(out, 2);
  return out;
}

/**
 * Reassembles length-prefixed messages from a TCP byte stream. `append` + `next` let a server
 * take one message at a time and stop when its client is not keeping up; `push` takes them all.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  append(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** The next whole message, or null until more bytes come. */
  next(): Buffer | null {
    const buf = this.pending;
    if (buf.length < 2) return null;
    const len = buf.readUInt16BE(0);
    if (buf.length < len + 2) return null;
    this.pending = buf.subarray(2 + len);
    return buf.subarray(2, 2 + len);
  }

  /** Feeds a chunk; returns the whole messages it completed (usually zero or one). */
  push(chunk: Buffer): Buffer[] {
    this.append(chunk);
    const out: Buffer[] = [];
    for (let m = this.next(); m !== null; m = this.next()) out.push(m);
    return out;
  }

  get buffered(): number {
    return this.pending.length;
  }
}
