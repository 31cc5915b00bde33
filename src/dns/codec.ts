// DNS wire format for the resolver. Decoding and encoding go through `dns-packet`: a
// well-kept, widely used codec (name compression on decode, EDNS options, every record type)
// beats a hand-written one, and forwarded traffic is never decoded at all: only its 16-bit id
// is rewritten in place. The few helpers here are the byte-level bits dns-packet lacks:
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

/** Reassembles length-prefixed messages from a TCP byte stream. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns the whole messages it completed (usually zero or one). */
  push(chunk: Buffer): Buffer[] {
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    while (buf.length >= 2) {
      const len = buf.readUInt16BE(0);
      if (buf.length < len + 2) break;
      out.push(buf.subarray(2, 2 + len));
      buf = buf.subarray(2 + len);
    }
    this.pending = buf;
    return out;
  }

  get buffered(): number {
    return this.pending.length;
  }
}
