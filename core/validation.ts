import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { JsonSchema } from './contracts/common.ts';
import type { ValidationItem } from './errors.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under tsx/ESM.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (
  a: Ajv,
) => Ajv;

/**
 * ajv instances shared by core: bodies are validated strictly (no type coercion: `"port": "22"` is
 * an error, as in the reference), query strings with coercion (they arrive as text).
 */
function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    coerceTypes: coerce,
    strict: false,
    removeAdditional: false,
  });
  addFormats(ajv);
  return ajv;
}

export const bodyAjv = makeAjv(false);
export const queryAjv = makeAjv(true);

const cache = new WeakMap<object, ValidateFunction>();

export function compile(schema: JsonSchema, ajv: Ajv = bodyAjv): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

/** Converts ajv errors to `{loc, msg}` items. Messages never contain the offending value. */
export function toItems(errors: ErrorObject[] | null | undefined, root: (string | number)[]): ValidationItem[] {
  const items: ValidationItem[] = [];
  for (const e of errors ?? []) {
    const loc = [
      ...root,
      ...e.instancePath
        .split('/')
        .filter(Boolean)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~'))),
    ];
    let msg: string;
    switch (e.keyword) {
      case 'required':
        loc.push((e.params as { missingProperty: string }).missingProperty);
        msg = 'Field required';
        break;
      case 'additionalProperties':
        loc.push((e.params as { additionalProperty: string }).additionalProperty);
        msg = 'Extra inputs are not permitted';
        break;
      case 'type':
        msg = `Input should be of type ${String((e.params as { type: string | string[] }).type).replace(/,/g, ' or ')}`;
        break;
      case 'enum':
        msg = `Input should be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      default:
        msg = e.message ? e.message.charAt(0).toUpperCase() + e.message.slice(1) : 'Invalid value';
    }
    if (!items.some((i) => i.msg === msg && i.loc.join('.') === loc.join('.'))) items.push({ loc, msg });
  }
  // `anyOf`/`oneOf` failures repeat every branch's errors; keep the summary last so it is readable.
  return items;
}
