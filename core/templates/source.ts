import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { NetPulseError } from '../errors.ts';
import type { NetPulseConfig } from '../config/types.ts';
import { outboundFetch } from '../net/outbound.ts';
import { parseAllowList } from '../net/allow-list.ts';

/**
 * Loads a template from its source (confined, unlike the reference's arbitrary file read and unbounded fetch):
 * - `file://<path>`: only inside `templates.dirs` (symlinks resolved before the check);
 * - `http(s)://`: only when `templates.remote_enabled`, with a timeout and a size limit;
 * - anything else: the template text itself.
 */
export async function loadTemplateSource(
  template: string,
  cfg: NetPulseConfig['templates'],
  root: string,
): Promise<string> {
  const lower = template.slice(0, 8).toLowerCase();
  if (lower.startsWith('file://'))
    return readLocal(
      template.slice('file://'.length),
      cfg.dirs.map((d) => resolve(root, d)),
    );
  if (lower.startsWith('http://') || lower.startsWith('https://')) return fetchRemote(template, cfg);
  if (lower.startsWith('ftp://'))
    throw new NetPulseError(
      'NP_ERR_TEMPLATE_SOURCE',
      'ftp:// template sources are not supported; use file:// or https://',
    );
  return template;
}

/** Largest template file read from templates.dirs. */
const MAX_TEMPLATE_FILE_BYTES = 16 * 1024 * 1024;

function notFound(path: string): NetPulseError {
  return new NetPulseError(
    'NP_ERR_TEMPLATE_SOURCE',
    `Template file ${path} not found in the configured template directories (templates.dirs)`,
  );
}

async function readLocal(path: string, dirs: string[]): Promise<string> {
  if (dirs.length === 0)
    throw new NetPulseError(
      'NP_ERR_TEMPLATE_SOURCE',
      'file:// template sources are disabled: set templates.dirs to the directories templates may be read from',
    );
  let real: string;
  try {
    // A relative path is looked up in each configured directory in turn.
    const candidates = isAbsolute(path) ? [path] : dirs.map((d) => resolve(d, path));
    real = '';
    for (const c of candidates) {
      try {
        real = await realpath(c);
        break;
      } catch {
        // try the next directory
      }
    }
    if (!real) throw new Error('missing');
  } catch {
    throw notFound(path);
  }
  const realDirs = await Promise.all(dirs.map((d) => realpath(d).catch(() => d)));
  // Outside the directories reads exactly like missing: errors must not tell which paths exist.
  if (!realDirs.some((d) => real === d || real.startsWith(d.endsWith(sep) ? d : d + sep))) throw notFound(path);
  const info = await stat(real);
  if (!info.isFile()) throw new NetPulseError('NP_ERR_TEMPLATE_SOURCE', `Template ${path} is not a file`);
  if (info.size > MAX_TEMPLATE_FILE_BYTES) {
    throw new NetPulseError(
      'NP_ERR_TEMPLATE_SOURCE',
      `Template file ${path} is larger than ${MAX_TEMPLATE_FILE_BYTES} bytes`,
    );
  }
  return readFile(real, 'utf8');
}

async function fetchRemote(url: string, cfg: NetPulseConfig['templates']): Promise<string> {
  if (!cfg.remote_enabled)
    throw new NetPulseError(
      'NP_ERR_TEMPLATE_SOURCE',
      'Remote template sources are disabled (templates.remote_enabled)',
    );
  let res: Response;
  const timeout = AbortSignal.timeout(cfg.remote_timeout * 1000);
  try {
    // Every hop (at most 3) is checked against templates.remote_allow_hosts; see core/net/outbound.ts.
    res = await outboundFetch(url, {
      signal: timeout,
      allow: parseAllowList(cfg.remote_allow_hosts, 'templates.remote_allow_hosts'),
      allowKey: 'templates.remote_allow_hosts',
      what: 'remote template',
      maxRedirects: 3,
    });
  } catch (e) {
    if (e instanceof NetPulseError) throw e;
    const why = timeout.aborted ? `timed out after ${cfg.remote_timeout} s` : 'could not be fetched';
    throw new NetPulseError('NP_ERR_TEMPLATE_SOURCE', `Template ${new URL(url).origin}… ${why}`);
  }
  if (!res.ok) throw new NetPulseError('NP_ERR_TEMPLATE_SOURCE', `Template fetch answered HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > cfg.remote_max_bytes)
    throw new NetPulseError(
      'NP_ERR_TEMPLATE_SOURCE',
      `Template is larger than templates.remote_max_bytes (${cfg.remote_max_bytes})`,
    );
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cfg.remote_max_bytes) {
      await reader.cancel();
      throw new NetPulseError(
        'NP_ERR_TEMPLATE_SOURCE',
        `Template is larger than templates.remote_max_bytes (${cfg.remote_max_bytes})`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
