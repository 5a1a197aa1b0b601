import { execAssignments, PySyntaxError, type PyValue } from './pyliteral.ts';
import type { Dict } from './runtime.ts';

/**
 * TTP's `load_struct`: turns the text of `<vars>`, `<lookup>`, `<input>` and `<output>` tags
 * into data with the loader named by `load=` (python by default).
 */
export function loadStruct(text: string | undefined, attributes: Record<string, string>): unknown {
  const loader = (attributes.load ?? 'python').toLowerCase();
  if (!text) return null;
  switch (loader) {
    case 'python':
      return loadPython(text);
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        return null;
      }
    case 'csv':
      return loadCsv(text, attributes.key);
    case 'ini':
      return loadIni(text);
    case 'yaml':
      return loadYaml(text);
    case 'text':
      return text;
    default:
      return null;
  }
}

function loadPython(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return execAssignments(text) as Dict | PyValue;
  } catch (e) {
    if (e instanceof PySyntaxError) return null;
    throw e;
  }
}

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (!line) {
      rows.push([]);
      continue;
    }
    const row: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"' && field === '') quoted = true;
      else if (c === ',') {
        row.push(field);
        field = '';
      } else field += c;
    }
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function loadCsv(text: string, key?: string): Dict {
  const data: Dict = {};
  let headers: string[] = [];
  let keyName = key;
  for (const row of csvRows(text)) {
    if (!row.length) continue;
    if (!headers.length) {
      headers = row;
      if (!keyName) keyName = headers[0];
      else if (!headers.includes(keyName)) return data;
      continue;
    }
    const temp: Dict = {};
    row.forEach((v, i) => {
      temp[headers[i]] = v;
    });
    const k = String(temp[keyName!]);
    delete temp[keyName!];
    data[k] = temp;
  }
  return data;
}

function loadIni(text: string): Dict {
  const result: Dict = {};
  let section: Dict | null = null;
  let lastKey = '';
  for (const raw of text.split(/\r\n|\n|\r/)) {
    if (!raw.trim() || /^\s*[#;]/.test(raw)) continue;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = (result[header[1]] as Dict) ?? {};
      result[header[1]] = section;
      continue;
    }
    if (!section) continue;
    if (/^\s/.test(raw) && lastKey) {
      section[lastKey] = `${section[lastKey]}\n${raw.trim()}`;
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw.trim());
    if (kv) {
      lastKey = kv[1];
      section[kv[1]] = kv[2];
    }
  }
  return result;
}

/** Block-style YAML subset: nested mappings, `- ` lists, plain/quoted scalars. */
function loadYaml(text: string): unknown {
  const lines = text
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() && !l.trim().startsWith('#') && l.trim() !== '---')
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  let pos = 0;
  const scalar = (v: string): unknown => {
    const t = v.trim();
    if (/^(['"]).*\1$/.test(t)) return t.slice(1, -1);
    if (/^-?\d+$/.test(t)) return Number(t);
    if (/^-?\d+\.\d+$/.test(t)) return Number(t);
    if (/^(true|yes|on)$/i.test(t)) return true;
    if (/^(false|no|off)$/i.test(t)) return false;
    if (t === '' || t === '~' || /^null$/i.test(t)) return null;
    if (t.startsWith('[') && t.endsWith(']'))
      return t
        .slice(1, -1)
        .split(',')
        .map((x) => scalar(x))
        .filter((x) => x !== null);
    return t;
  };
  const block = (indent: number): unknown => {
    if (pos >= lines.length) return null;
    if (lines[pos].text.startsWith('- ') || lines[pos].text === '-') {
      const list: unknown[] = [];
      while (
        pos < lines.length &&
        lines[pos].indent === indent &&
        (lines[pos].text.startsWith('- ') || lines[pos].text === '-')
      ) {
        const rest = lines[pos].text.slice(1).trim();
        pos++;
        if (!rest) list.push(block(lines[pos]?.indent ?? indent + 2));
        else if (/^[^'"]+?:(\s|$)/.test(rest)) {
          lines[--pos] = { indent: indent + 2, text: rest };
          list.push(block(indent + 2));
        } else list.push(scalar(rest));
      }
      return list;
    }
    const map: Dict = {};
    while (pos < lines.length && lines[pos].indent === indent) {
      const m = /^("[^"]*"|'[^']*'|[^:]+?)\s*:(?:\s+(.*))?$/.exec(lines[pos].text);
      if (!m) break;
      const key = String(scalar(m[1]));
      pos++;
      if (m[2] !== undefined && m[2] !== '') map[key] = scalar(m[2]);
      else if (pos < lines.length && lines[pos].indent > indent) map[key] = block(lines[pos].indent);
      else if (pos < lines.length && lines[pos].indent === indent && lines[pos].text.startsWith('- '))
        map[key] = block(indent);
      else map[key] = null;
    }
    return map;
  };
  return lines.length ? block(lines[0].indent) : null;
}
