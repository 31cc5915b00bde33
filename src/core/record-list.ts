// A new list of records with one of them replaced or left out. Records are found by reference
// first: a record read from the store is a proxy whose id is cut from the store's index when
// first read (store/layout.ts), so `list.map((c) => (c.id === ctr.id ? next : c))` beside 500
// containers made 1,000 calls into proxies and 500 strings of every connect, disconnect and rm.
// By id when the record given is not in the list itself (a copy of it). A list holds one record
// per id (a hand-edited store with two is refused when read: core/state-schema.ts). Pure.

/** `list` with the record `old` (the very object, or else every record with its id) replaced by `next`. */
export function replaceRecord<T extends { id: string }>(list: readonly T[], old: T, next: T): T[] {
  const i = list.indexOf(old);
  if (i < 0) return list.map((r) => (r.id === old.id ? next : r));
  const out = list.slice();
  out[i] = next;
  return out;
}

/** `list` without the record `old` (the very object, or else every record with its id). */
export function withoutRecord<T extends { id: string }>(list: readonly T[], old: T): T[] {
  const i = list.indexOf(old);
  if (i < 0) return list.filter((r) => r.id !== old.id);
  const out = list.slice(0, i);
  for (let j = i + 1; j < list.length; j++) out.push(list[j]);
  return out;
}
