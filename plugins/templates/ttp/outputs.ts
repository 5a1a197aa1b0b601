import { getAttributes, type FunctionCall } from './attributes.ts';
import { loadStruct } from './loaders.ts';
import { elementAttr, type XmlElement } from './xml.ts';
import { isDict, pyStr, pyEquals, pyTruthy, type Dict } from './runtime.ts';

/**
 * `<output>` tags: output functions, a formatter (raw/json/csv) and returners. Only the `self`
 * returner hands the formatted data back; TTP returns the data unchanged for other returners.
 */
export class Output {
  name: string | null = null;
  attributes: Dict = { returner: 'self', format: 'raw', load: 'python' };
  funcs: FunctionCall[] = [];
  /** The tag's text loaded with its loader (or the raw text): what `is_equal` compares with. */
  readonly tagLoad: unknown;

  constructor(element: XmlElement) {
    for (const [k, v] of element.attrib) this.attributes[k] = v;
    const loaded = loadStruct(
      element.text,
      Object.fromEntries(element.attrib.map(([k, v]) => [k, v])) as Record<string, string>,
    );
    this.tagLoad = pyTruthy(loaded) ? loaded : element.text;
    if (isDict(loaded)) Object.assign(this.attributes, loaded);
    for (const [name, value] of Object.entries({ ...this.attributes })) {
      switch (name.toLowerCase()) {
        case 'name':
          this.name = String(value);
          break;
        case 'returner':
          this.attributes.returner = String(value)
            .split(',')
            .map((i) => i.trim());
          break;
        case 'path':
          this.attributes.path = String(value)
            .split('.')
            .map((i) => i.trim());
          break;
        case 'headers':
          this.attributes.headers = typeof value === 'string' ? value.split(',').map((i) => i.trim()) : value;
          break;
        case 'functions':
          this.funcs.push(...getAttributes(String(value)));
          break;
        default:
          if (name in OUTPUT_FUNCTIONS) this.funcs.push(getAttributes(`${name}(${String(value)})`)[0]);
      }
    }
    void elementAttr;
  }

  run(data: unknown): unknown {
    let results = data;
    for (const call of this.funcs) {
      const fn = OUTPUT_FUNCTIONS[call.name];
      if (fn) results = fn(results, call.args, call.kwargs, this);
    }
    const format = String(this.attributes.format);
    const formatter = FORMATTERS[format];
    if (formatter) results = formatter(results, this);
    const returners = this.attributes.returner as string[];
    return returners.includes('self') ? results : data;
  }
}

type OutputFunction = (data: unknown, args: unknown[], kwargs: Dict, output: Output) => unknown;

const OUTPUT_FUNCTIONS: Record<string, OutputFunction> = {
  is_equal: (data, _args, _kwargs, output) => {
    const expected = output.tagLoad;
    return {
      output_name: output.name ?? '',
      output_description: output.attributes.description ?? '',
      is_equal: pyEquals(data, expected),
    };
  },
  dict_to_list: (data, args, kwargs) => {
    const keyName = String(kwargs.key_name ?? args[0] ?? 'key');
    const path = kwargs.path ? String(kwargs.path).split('.') : [];
    const convert = (node: unknown): unknown => {
      if (!isDict(node)) return node;
      return Object.entries(node).map(([k, v]) => (isDict(v) ? { ...v, [keyName]: k } : v));
    };
    return transformAt(data, path, convert);
  },
  traverse: (data, args, kwargs) => {
    const path = String(kwargs.path ?? args[0] ?? '')
      .split('.')
      .filter((p) => p);
    const walk = (node: unknown): unknown => {
      let cur = node;
      for (const p of path) cur = isDict(cur) ? cur[p] : undefined;
      return cur;
    };
    return Array.isArray(data) ? data.map(walk) : walk(data);
  },
};

function transformAt(data: unknown, path: string[], fn: (node: unknown) => unknown): unknown {
  if (Array.isArray(data)) return data.map((d) => transformAt(d, path, fn));
  if (!path.length) return fn(data);
  if (!isDict(data)) return data;
  const [head, ...rest] = path;
  if (head in data) data[head] = transformAt(data[head], rest, fn);
  return data;
}

type Formatter = (data: unknown, output: Output) => unknown;

const FORMATTERS: Record<string, Formatter> = {
  raw: (data) => data,
  json: (data) => pyJsonDumps(data, 4, true),
  csv: (data, output) => csvFormat(data, output),
};

/** Python `json.dumps(data, sort_keys=True, indent=4, separators=(",", ": "))`. */
export function pyJsonDumps(data: unknown, indent: number, sortKeys: boolean, level = 0): string {
  const pad = ' '.repeat(indent * (level + 1));
  const close = ' '.repeat(indent * level);
  if (data === null || data === undefined) return 'null';
  if (typeof data === 'string')
    return JSON.stringify(data).replace(
      /[\u007f-\uffff]/g,
      (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
    );
  if (typeof data === 'number' || typeof data === 'boolean') return String(data);
  if (Array.isArray(data)) {
    if (!data.length) return '[]';
    return '[\n' + data.map((d) => pad + pyJsonDumps(d, indent, sortKeys, level + 1)).join(',\n') + '\n' + close + ']';
  }
  if (isDict(data)) {
    const keys = Object.keys(data);
    if (!keys.length) return '{}';
    if (sortKeys) keys.sort();
    return (
      '{\n' +
      keys
        .map((k) => pad + pyJsonDumps(k, indent, sortKeys) + ': ' + pyJsonDumps(data[k], indent, sortKeys, level + 1))
        .join(',\n') +
      '\n' +
      close +
      '}'
    );
  }
  return JSON.stringify(pyStr(data));
}

function csvFormat(data: unknown, output: Output): string {
  const path = (output.attributes.path as string[] | undefined) ?? [];
  let node: unknown = data;
  for (const p of path) node = isDict(node) ? node[p] : Array.isArray(node) ? node : undefined;
  const rows: Dict[] = [];
  const collect = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(collect);
    else if (isDict(n)) rows.push(n);
  };
  collect(node);
  const sep = String(output.attributes.sep ?? ',');
  const quote = String(output.attributes.quote ?? '"');
  const missing = String(output.attributes.missing ?? '');
  let headers = (output.attributes.headers as string[] | undefined) ?? [];
  if (!headers.length) {
    const set = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) set.add(k);
    headers = [...set].sort();
  }
  const line = (values: string[]): string => values.map((v) => `${quote}${v}${quote}`).join(sep);
  return [line(headers), ...rows.map((r) => line(headers.map((h) => (h in r ? pyStr(r[h]) : missing))))].join('\n');
}
