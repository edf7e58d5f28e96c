// A snapshot is plain data. v8.serialize would take a class instance and give
// back a plain object with its prototype gone (and a function or a symbol
// throws a DataCloneError that does not say where), so a restored operator
// would find methods missing long after the checkpoint was taken. This walk
// refuses such a value when it is written, naming where it sits.
//
// It is kept cheap on purpose (see scripts/bench-checkpoint.mjs for what it
// costs beside v8.serialize): no set of visited objects, which would cost as
// much as the serialization itself. A shared object is walked once per
// reference and a cycle is caught by the depth limit instead; state made by
// codecs is a tree. The path to a refused value is found by a second, slower
// walk, only once there is one.

export class SnapshotValueError extends Error {
  override readonly name = 'SnapshotValueError';
}

/** Deeper than any state a codec makes; a cycle reaches it quickly. */
const MAX_DEPTH = 1000;

class Refusal {
  constructor(readonly reason: string) {}
}

/** Throws a SnapshotValueError unless `value` is made only of values a checkpoint carries exactly. */
export function checkPlainData(value: unknown): void {
  try {
    walk(value, 0, undefined);
    return;
  } catch (refusal) {
    if (!(refusal instanceof Refusal)) throw refusal;
  }
  const path: string[] = [];
  try {
    walk(value, 0, path);
  } catch (refusal) {
    if (!(refusal instanceof Refusal)) throw refusal;
    // A cycle's path is a thousand steps long: its start says enough.
    const shown = path.length > 12 ? `${path.slice(0, 8).join('')}…` : path.join('');
    const where = path.length === 0 ? 'the snapshot' : `snapshot${shown}`;
    throw new SnapshotValueError(
      `${where} is ${refusal.reason}; a checkpoint holds only plain data (objects, arrays, ` +
        'Map, Set, Date, Uint8Array and primitives), so state must go through its codec first',
    );
  }
}

/** `path`, when given, holds where the walk is, and is left where it refused. */
function walk(value: unknown, depth: number, path: string[] | undefined): void {
  if (typeof value !== 'object') {
    if (typeof value === 'function') throw new Refusal('a function');
    if (typeof value === 'symbol') throw new Refusal('a symbol');
    return;
  }
  if (value === null) return;
  if (depth > MAX_DEPTH) throw new Refusal(`nested more than ${MAX_DEPTH} levels deep (a cycle?)`);
  const next = depth + 1;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const object = value as Record<string, unknown>;
    for (const key in object) {
      path?.push(`.${key}`);
      walk(object[key], next, path);
      path?.pop();
    }
  } else if (proto === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) {
      path?.push(`[${i}]`);
      walk(array[i], next, path);
      path?.pop();
    }
  } else if (proto === Map.prototype) {
    for (const [key, entry] of value as Map<unknown, unknown>) {
      path?.push('<key>');
      walk(key, next, path);
      path?.pop();
      path?.push(`.get(${typeof key === 'string' ? JSON.stringify(key) : String(key)})`);
      walk(entry, next, path);
      path?.pop();
    }
  } else if (proto === Set.prototype) {
    for (const entry of value as Set<unknown>) {
      path?.push('<entry>');
      walk(entry, next, path);
      path?.pop();
    }
  } else if (!(proto === Date.prototype || ArrayBuffer.isView(value))) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    throw new Refusal(`an instance of ${typeof name === 'string' && name ? name : 'a class'}`);
  }
}
