import type { JsonSchema } from '../contracts/common.ts';
import { validationError, type ValidationItem } from '../errors.ts';
import { LENIENT } from '../contracts/lenient.ts';

export { LENIENT, lenient } from '../contracts/lenient.ts';

/**
 * Leniency where the reference server is lenient. Its request models allow extra keys at the top
 * level of exec/bulk/test/template bodies, in `connection_args` (bulk `devices` inventory fields
 * such as `site` or `role` included) and in pyeapi's free-form `driver_args`; clients written for it
 * send such keys. NetPulse removes them before validation, so the engine never sees them, and
 * reports each one in the response envelope's `warnings` list (`{loc, msg}`, with "did you mean"
 * for near misses). With `server.strict_requests` they are 400s instead.
 *
 * A schema opts in with the marker {@link LENIENT}; `connection_args` are always lenient. The
 * warnings of one HTTP request are gathered in its {@link WarningList} (made by the HTTP layer,
 * handed to validation explicitly; without one, ignored keys are dropped silently).
 */

const MAX_WARNINGS = 100;

/** The ignored-key warnings of one request: deduplicated, at most {@link MAX_WARNINGS}; 400s when strict. */
export class WarningList {
  readonly items: ValidationItem[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly strict: boolean) {}

  /** Adds warnings (or, when strict, throws them as a 400). */
  report(items: ValidationItem[]): void {
    if (!items.length) return;
    if (this.strict) throw validationError(items.map((i) => ({ loc: i.loc, msg: strictMessage(i.msg) })));
    for (const item of items) {
      const key = JSON.stringify(item);
      if (this.seen.has(key) || this.items.length >= MAX_WARNINGS) continue;
      this.seen.add(key);
      this.items.push(item);
    }
  }
}

function strictMessage(msg: string): string {
  const hint = /(; did you mean .*)$/.exec(msg);
  return `Extra inputs are not permitted${hint ? hint[1] : ''}`;
}

/** Is `schema` (or the object member of a nullable `anyOf`) marked lenient? Returns that object schema. */
function lenientObject(schema: JsonSchema | undefined): JsonSchema | null {
  if (!schema) return null;
  if ((schema as Record<string, unknown>)[LENIENT] === 'ignore') return schema;
  const anyOf = (schema as { anyOf?: JsonSchema[] }).anyOf;
  return anyOf?.map(lenientObject).find((s) => s !== null) ?? null;
}

/**
 * Removes keys `schema` does not declare from `value` (in place) and returns one warning per key.
 * Nested properties whose schema is marked lenient are walked too. `what` names the object in the
 * message (e.g. "request field", "netmiko connection argument").
 */
export function stripUnknownKeys(
  value: unknown,
  schema: JsonSchema,
  loc: (string | number)[],
  what: string,
): ValidationItem[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const shape = shapeOf(schema);
  const obj = value as Record<string, unknown>;
  const items: ValidationItem[] = [];
  if (shape.closed) {
    for (const key in obj) {
      if (!Object.hasOwn(obj, key) || shape.known.has(key)) continue;
      delete obj[key];
      items.push({ loc: [...loc, key], msg: ignoredMessage(key, shape.names, what) });
    }
  }
  for (const [key, nested] of shape.lenient) {
    if (obj[key] !== undefined) items.push(...stripUnknownKeys(obj[key], nested, [...loc, key], 'field'));
  }
  return items;
}

/** What {@link stripUnknownKeys} reads from a schema, worked out once per schema (it runs per bulk device). */
interface Shape {
  known: ReadonlySet<string>;
  names: string[];
  closed: boolean;
  lenient: [string, JsonSchema][];
}
const shapes = new WeakMap<JsonSchema, Shape>();
function shapeOf(schema: JsonSchema): Shape {
  let shape = shapes.get(schema);
  if (!shape) {
    const props = ((schema as { properties?: Record<string, JsonSchema> }).properties ?? {}) as Record<
      string,
      JsonSchema
    >;
    shape = {
      known: new Set(Object.keys(props)),
      names: Object.keys(props),
      closed: (schema as { additionalProperties?: unknown }).additionalProperties === false,
      lenient: Object.entries(props).flatMap(([key, sub]) => {
        const nested = lenientObject(sub);
        return nested ? [[key, nested] as [string, JsonSchema]] : [];
      }),
    };
    shapes.set(schema, shape);
  }
  return shape;
}

/** Strips and reports in one step, for objects that are always lenient (e.g. `connection_args`). */
export function ignoreUnknownKeys(
  value: unknown,
  schema: JsonSchema,
  loc: (string | number)[],
  what: string,
  warnings: WarningList | undefined,
): void {
  const ignored = stripUnknownKeys(value, schema, loc, what);
  warnings?.report(ignored);
}

/** Strips and reports only when `schema` is marked lenient (e.g. pyeapi's free-form `driver_args`). */
export function ignoreUnknownKeysIfLenient(
  value: unknown,
  schema: JsonSchema,
  loc: (string | number)[],
  what: string,
  warnings: WarningList | undefined,
): void {
  if (lenientObject(schema)) ignoreUnknownKeys(value, schema, loc, what, warnings);
}

/**
 * The same key ignored on many bulk devices is reported once, at its first device, with a count,
 * so a 2,000-device inventory with `site` and `role` gives two warnings, not 4,000.
 */
export function ignoreUnknownDeviceKeys(
  devices: unknown[],
  schema: JsonSchema,
  loc: (string | number)[],
  what: string,
  warnings: WarningList | undefined,
): void {
  const byKey = new Map<string, { item: ValidationItem; count: number }>();
  devices.forEach((d, i) => {
    for (const item of stripUnknownKeys(d, schema, [...loc, i], what)) {
      const key = String(item.loc[item.loc.length - 1]);
      const entry = byKey.get(key);
      if (entry) entry.count++;
      else byKey.set(key, { item, count: 1 });
    }
  });
  warnings?.report(
    [...byKey.values()].map(({ item, count }) =>
      count > 1 ? { loc: item.loc, msg: `${item.msg} (on ${count} devices)` } : item,
    ),
  );
}

function ignoredMessage(key: string, known: string[], what: string): string {
  const near = nearest(key, known);
  return `Ignored: not a known ${what}${near ? `; did you mean '${near}'?` : ''}`;
}

/** The closest known name within a small edit distance (typos, plural/singular), or null. */
export function nearest(key: string, known: string[]): string | null {
  const k = key.toLowerCase();
  let best: string | null = null;
  let bestDist = Infinity;
  for (const name of known) {
    const d = editDistance(k, name.toLowerCase());
    const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
    if (d <= limit && d < bestDist) {
      best = name;
      bestDist = d;
    }
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions (Damerau, optimal string alignment); inputs are short keys. */
function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
