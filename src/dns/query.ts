// One query in, one answer out. `decide` is the pure rule (answer from the name index, or
// forward); `handleQuery` applies it to raw bytes. Local answers come back synchronously (the
// hot path makes no promise); forwarded ones as a promise of the upstream's bytes, verbatim
// with the client's id, or SERVFAIL when no upstream answered in time.
//
// What is answered here, like Docker's embedded server:
//   A    for a container name/alias/12-hex id/NAME.NETWORK on a network shared with the asker,
//        every matching address, TTL 600;
//   AAAA for such a name: NOERROR with no records (pont has no IPv6 yet);
//   PTR  for a container address on a shared network → "name.network".
// Everything else goes upstream, including names of containers on networks the asker is not on.
import type { Answer, Message, Packet } from './codec.js';
import {
  decodeMessage,
  encodedLength,
  encodeMessage,
  errorReply,
  FLAG_RA,
  FLAG_RD,
  FLAG_TC,
  RCODE,
  UDP_MIN_PAYLOAD,
} from './codec.js';
import { type Asker, lookupA, lookupPtr, normalizeName } from './names.js';

export const TTL = 600;

export type Transport = 'udp' | 'tcp';
/** Where one forwarded query goes and for whom. */
export interface ForwardRoute {
  transport: Transport;
  /** The container's own --dns servers; absent: the host's resolvers. */
  servers?: string[];
  /** Who asks (the listener's namespace): the forwarder's limits are counted per source. */
  source: string;
}
/** Sends raw query bytes upstream; resolves to the raw answer (any id) or null on failure. */
export type Forward = (query: Buffer, route: ForwardRoute) => Promise<Buffer | null>;

export type Decision = { kind: 'answer'; packet: Packet } | { kind: 'forward' } | { kind: 'drop' };

function reply(q: Message, rcode: number, answers: Answer[]): Packet {
  const opt = q.additionals?.find((a) => a.type === 'OPT');
  return {
    id: q.id,
    type: 'response',
    flags: ((q.flags ?? 0) & FLAG_RD) | FLAG_RA | rcode,
    questions: q.questions,
    answers,
    additionals: opt ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  };
}

/** Docker shuffles multiple addresses so clients spread over containers sharing an alias. */
function rotated(list: string[]): string[] {
  if (list.length < 2) return list;
  const k = Math.floor(Math.random() * list.length);
  return k === 0 ? list : [...list.slice(k), ...list.slice(0, k)];
}

export function decide(q: Message, asker: Asker | undefined): Decision {
  if (q.type === 'response') return { kind: 'drop' };
  if (q.opcode !== 'QUERY') return { kind: 'answer', packet: reply(q, RCODE.NOTIMP, []) };
  const questions = q.questions ?? [];
  if (questions.length === 0) return { kind: 'answer', packet: reply(q, RCODE.FORMERR, []) };
  if (questions.length > 1 || !asker) return { kind: 'forward' };
  const question = questions[0];
  if (question.class !== undefined && question.class !== 'IN') return { kind: 'forward' };
  const name = normalizeName(question.name);
  switch (question.type) {
    case 'A': {
      const addrs = lookupA(asker, name);
      if (!addrs) return { kind: 'forward' };
      const answers: Answer[] = rotated(addrs).map((data) => ({ type: 'A', name: question.name, ttl: TTL, class: 'IN', data }));
      return { kind: 'answer', packet: reply(q, RCODE.NOERROR, answers) };
    }
    case 'AAAA':
      return lookupA(asker, name) ? { kind: 'answer', packet: reply(q, RCODE.NOERROR, []) } : { kind: 'forward' };
    case 'PTR': {
      const target = lookupPtr(asker, name);
      if (!target) return { kind: 'forward' };
      return { kind: 'answer', packet: reply(q, RCODE.NOERROR, [{ type: 'PTR', name: question.name, ttl: TTL, class: 'IN', data: target }]) };
    }
    default:
      return { kind: 'forward' };
  }
}

/** The largest UDP answer the client accepts: its EDNS payload size, else 512. */
function udpLimit(q: Message): number {
  const opt = q.additionals?.find((a) => a.type === 'OPT');
  const size = opt && 'udpPayloadSize' in opt ? opt.udpPayloadSize : UDP_MIN_PAYLOAD;
  return Math.max(UDP_MIN_PAYLOAD, Math.min(size, 4096));
}

/** Encodes, dropping records and setting TC when the answer is too big for UDP. */
function encodeFitting(p: Packet, limit: number): Buffer {
  const answers = p.answers ?? [];
  if (answers.length <= 1 || encodedLength(p) <= limit) return encodeMessage(p);
  const fitted = { ...p, answers: answers.slice(), flags: (p.flags ?? 0) | FLAG_TC };
  while (fitted.answers.length > 0 && encodedLength(fitted) > limit) fitted.answers.pop();
  return encodeMessage(fitted);
}

export interface QueryContext {
  asker: Asker | undefined;
  transport: Transport;
  forward: Forward;
  /** The namespace the query came from. */
  source: string;
}

/**
 * The answer to `raw`: a Buffer at once for local names, a Promise for forwarded ones, null
 * when nothing should be sent back (a response, or bytes too short to carry an id).
 */
export function handleQuery(raw: Buffer, ctx: QueryContext): Buffer | Promise<Buffer | null> | null {
  const q = decodeMessage(raw);
  if (!q) return errorReply(raw, RCODE.FORMERR);
  const d = decide(q, ctx.asker);
  if (d.kind === 'drop') return null;
  if (d.kind === 'answer') return ctx.transport === 'udp' ? encodeFitting(d.packet, udpLimit(q)) : encodeMessage(d.packet);
  if (ctx.asker && !ctx.asker.forwards) return errorReply(raw, RCODE.SERVFAIL);
  // like Docker's embedded server, a container's --dns servers take the place of the host's
  const servers = ctx.asker?.upstreams.length ? ctx.asker.upstreams : undefined;
  return ctx.forward(raw, { transport: ctx.transport, servers, source: ctx.source }).then(
    (answer) => {
      if (!answer || answer.length < 2) return errorReply(raw, RCODE.SERVFAIL);
      answer.writeUInt16BE(q.id ?? 0, 0);
      return answer;
    },
    () => errorReply(raw, RCODE.SERVFAIL),
  );
}
