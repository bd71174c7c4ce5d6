// Checks for the core of the simulator's state file, by hand instead of zod: a
// one-shot command reads the file once, and zod-mini cost about 7 ms of its start-up
// there (building the schema, about 3 ms, and its first check of a 5 kB file, about
// 4 ms), against a start-up budget of 36 ms (docs/benchmarks-startup.md). These
// checks cost well under 1 ms. They keep zod's meaning where the file relies on it:
// objects keep only the keys their shape names, the first failure in file order is
// reported, a default fills a missing value, and each failure names what was expected
// ("missing" when there is no value), never the value itself. The optional sections
// of the file stay zod schemas (state-shape.ts), built only for a file that has them.

export type Path = (string | number)[];

/** The first thing wrong in the file: where, and what was expected there. */
export class ShapeError extends Error {
  constructor(
    readonly path: Path,
    readonly expected: string,
  ) {
    super(expected);
  }
}

/** A check: the value as its type, or a ShapeError. `optional`: the key may be absent. */
export type Check<T> = ((value: unknown, path: Path) => T) & { readonly optional?: true };
export type Checked<C> = C extends Check<infer T> ? T : never;

type Shape = Record<string, Check<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] };
export type ObjectOf<S extends Shape> = Flat<{ [K in Exclude<keyof S, OptionalKeys<S>>]: Checked<S[K]> } & { [K in OptionalKeys<S>]?: Checked<S[K]> }>;

const present = (value: unknown, path: Path) => {
  if (value === undefined) throw new ShapeError(path, 'missing');
};

/** A leaf: a predicate and the words a user reads when it fails ("expected ..."). */
export function leaf<T>(accepts: (value: unknown) => boolean, expected: string): Check<T> {
  return (value, path) => {
    present(value, path);
    if (!accepts(value)) throw new ShapeError(path, `expected ${expected}`);
    return value as T;
  };
}

export const boolean: Check<boolean> = leaf<boolean>((v) => typeof v === 'boolean', 'a boolean');

/** One of `values`; `expected` is the whole message ('expected "a" or "b"'). */
export function oneOf<const V extends readonly string[]>(values: V, expected: string): Check<V[number]> {
  return (value, path) => {
    present(value, path);
    if (!values.includes(value as string)) throw new ShapeError(path, expected);
    return value as V[number];
  };
}

/** Exactly `literal` (a value the file cannot choose: the message says no more). */
export function exactly<const L extends string>(literal: L): Check<L> {
  return oneOf([literal], 'expected another value');
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, path) => (value === null ? null : check(value, path));
}

/** A missing value is `fallback()` (a fresh one each time: callers may change it). */
export function withDefault<T>(check: Check<T>, fallback: () => T): Check<T> {
  return (value, path) => (value === undefined ? fallback() : check(value, path));
}

/** The keys of `shape`, in its order, each checked; any other key is left out. */
export function object<S extends Shape>(shape: S): Check<ObjectOf<S>> {
  const keys = Object.keys(shape);
  return (value, path) => {
    present(value, path);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShapeError(path, 'expected an object');
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const checked = shape[key]!(Object.hasOwn(input, key) ? input[key] : undefined, [...path, key]);
      if (checked !== undefined || !shape[key]!.optional) out[key] = checked;
    }
    return out as ObjectOf<S>;
  };
}

/** Each item checked first, then the list as a whole (at most, at least, a rule), as zod does. */
export function array<T>(item: Check<T>, rules: { min?: [number, string]; max?: [number, string]; all?: [(list: T[]) => boolean, string] } = {}): Check<T[]> {
  return (value, path) => {
    present(value, path);
    if (!Array.isArray(value)) throw new ShapeError(path, 'expected an array');
    const list = value.map((v, i) => item(v, [...path, i]));
    if (rules.min && list.length < rules.min[0]) throw new ShapeError(path, rules.min[1]);
    if (rules.max && list.length > rules.max[0]) throw new ShapeError(path, rules.max[1]);
    if (rules.all && !rules.all[0](list)) throw new ShapeError(path, rules.all[1]);
    return list;
  };
}

/** A key that may be absent: then it stays absent. */
export function optional<T>(check: Check<T>): Check<T | undefined> & { optional: true } {
  return Object.assign((value: unknown, path: Path) => (value === undefined ? undefined : check(value, path)), { optional: true as const });
}
