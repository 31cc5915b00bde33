// A new list of records with one of them replaced, left out or added. Records are found by
// reference first: a record read from the store is a proxy whose id is cut from the store's index
// when first read (store/layout.ts), so `list.map((c) => (c.id === ctr.id ? next : c))` beside 500
// containers made 1,000 calls into proxies and 500 strings of every connect, disconnect and rm.
// By id when the record given is not in the list itself (a copy of it). A list holds one record
// per id (a hand-edited store with two is refused when read: core/state-schema.ts). Pure.
// A list the store read through its index makes its records when they are first read
// (store/layout.ts: beside 500 containers, a proxy for each was most of a command's garbage); it
// answers these edits itself (RECORD_LIST), with a list that makes none either.

/** On a list that makes its records when read: how it is edited without making them. */
export const RECORD_LIST = Symbol('record list');

/** A piece of a list as it stands over another: records `from` to `to` (excluded) of that list, or a record of its own. */
export type ListPiece<T> = readonly [from: number, to: number] | T;

export interface RecordListEdits<T> {
  /** The list with `old` replaced by `next`; null when `old` is not in it (by reference). */
  replace(old: T, next: T): T[] | null;
  /** The list without `old`; null when `old` is not in it (by reference). */
  without(old: T): T[] | null;
  append(record: T): T[];
  /**
   * The list as runs of `base`'s records, kept in its order, and records not in `base` (each once,
   * in order); null when `base` is not the list this one was read as or edited from.
   */
  piecesOver(base: readonly T[]): ListPiece<T>[] | null;
}

const editsOf = <T>(list: readonly T[]): RecordListEdits<T> | undefined => (list as { [RECORD_LIST]?: RecordListEdits<T> })[RECORD_LIST];

/** `list` with the record `old` (the very object, or else every record with its id) replaced by `next`. */
export function replaceRecord<T extends { id: string }>(list: readonly T[], old: T, next: T): T[] {
  const edited = editsOf(list)?.replace(old, next);
  if (edited) return edited;
  const i = list.indexOf(old);
  if (i < 0) return list.map((r) => (r.id === old.id ? next : r));
  const out = list.slice();
  out[i] = next;
  return out;
}

/** `list` without the record `old` (the very object, or else every record with its id). */
export function withoutRecord<T extends { id: string }>(list: readonly T[], old: T): T[] {
  const edited = editsOf(list)?.without(old);
  if (edited) return edited;
  const i = list.indexOf(old);
  if (i < 0) return list.filter((r) => r.id !== old.id);
  const out = list.slice(0, i);
  for (let j = i + 1; j < list.length; j++) out.push(list[j]);
  return out;
}

/** `list` and then `record`. */
export function withRecord<T>(list: readonly T[], record: T): T[] {
  return editsOf(list)?.append(record) ?? [...list, record];
}

/** `list` as runs of `base`'s records and records of its own, when it can tell without reading them (RecordListEdits.piecesOver). */
export const piecesOver = <T>(list: readonly T[], base: readonly T[]): ListPiece<T>[] | null => editsOf(list)?.piecesOver(base) ?? null;
