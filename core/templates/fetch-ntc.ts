import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar';
import { NetPulseError } from '../errors.ts';

/**
 * `netpulse templates fetch ntc`: downloads an ntc-templates release tarball (the project's GitHub
 * archive of a tag) and installs its `ntc_templates/templates/` directory — the TextFSM templates
 * plus their `index` — as `templates.ntc_dir`. The archive is unpacked by the `tar` package into a
 * sibling temporary directory, checked (it must contain `index`), then swapped in with renames, so
 * a failed download never leaves a half-written template directory. Download size and time are
 * bounded.
 */

export interface FetchNtcOptions {
  /** URL with `{ref}` where the release tag goes (config `templates.ntc_url`). */
  urlTemplate: string;
  /** Release tag, e.g. `v9.2.0` (config `templates.ntc_release`, or `--ref`). */
  ref: string;
  /** Target directory (`templates.ntc_dir`). */
  dest: string;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface FetchNtcResult {
  url: string;
  dir: string;
  templates: number;
  bytes: number;
}

/** Entries installed: `<archive root>/ntc_templates/templates/<file>`, nothing nested deeper. */
const TEMPLATE_ENTRY = /^[^/]+\/ntc_templates\/templates\/[^/]+$/;
const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export async function fetchNtcTemplates(opts: FetchNtcOptions): Promise<FetchNtcResult> {
  if (!REF.test(opts.ref))
    throw new NetPulseError('NP_ERR_VALIDATION', `Invalid ntc-templates release tag '${opts.ref.slice(0, 64)}'`);
  const url = opts.urlTemplate.replace('{ref}', encodeURIComponent(opts.ref));
  if (!/^https?:\/\//i.test(url))
    throw new NetPulseError(
      'NP_ERR_VALIDATION',
      `templates.ntc_url must be an http(s) URL, got '${url.slice(0, 200)}'`,
    );
  const maxBytes = opts.maxBytes ?? 64 * 1048576;
  const dest = resolve(opts.dest);
  const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000), redirect: 'follow' }).catch(
    (e: Error) => {
      throw new NetPulseError('NP_ERR_TEMPLATE_SOURCE', `Cannot download ${url}: ${e.message}`);
    },
  );
  if (!res.ok || !res.body)
    throw new NetPulseError('NP_ERR_TEMPLATE_SOURCE', `Cannot download ${url}: HTTP ${res.status}`);

  await mkdirParent(dest);
  const staging = await mkdtemp(join(dirname(dest), `.${basename(dest)}.fetch-`));
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > maxBytes)
        cb(new NetPulseError('NP_ERR_TEMPLATE_SOURCE', `Download larger than ${maxBytes} bytes: ${url}`));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
      limit,
      extract({
        cwd: staging,
        strip: 3,
        filter: (path, entry) =>
          TEMPLATE_ENTRY.test(path.replace(/^\.\//, '')) && (entry as { type?: string }).type === 'File',
      }),
    );
    const files = await readdir(staging);
    if (!files.includes('index')) {
      throw new NetPulseError(
        'NP_ERR_TEMPLATE_SOURCE',
        `${url} is not an ntc-templates release: no ntc_templates/templates/index inside`,
      );
    }
    await swapIn(staging, dest);
    return { url, dir: dest, templates: files.filter((f) => f.endsWith('.textfsm')).length, bytes };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    if (e instanceof NetPulseError) throw e;
    throw new NetPulseError('NP_ERR_TEMPLATE_SOURCE', `Cannot unpack ${url}: ${(e as Error).message}`);
  }
}

async function mkdirParent(dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
}

/** Replaces `dest` by `staging` (two renames; the old directory is removed afterwards). */
async function swapIn(staging: string, dest: string): Promise<void> {
  const exists = await stat(dest).then(
    () => true,
    () => false,
  );
  const old = `${staging}.old`;
  if (exists) await rename(dest, old);
  await rename(staging, dest);
  if (exists) await rm(old, { recursive: true, force: true });
}
