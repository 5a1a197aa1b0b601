import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One built asset of the console, held in memory. */
export interface UiAsset {
  body: Buffer;
  type: string;
  /** Strong ETag: a hash of the content, so browsers revalidate cheaply. */
  etag: string;
}

export interface UiBundle {
  /** `app.js` and `app.css`. */
  assets: Map<string, UiAsset>;
  /** Sum of the asset sizes in bytes (what a browser downloads, uncompressed). */
  bytes: number;
}

/** The console's entry point, resolved from this file so the server works from any cwd. */
export const UI_ENTRY = fileURLToPath(new URL('../../../web/src/main.ts', import.meta.url));

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * Builds the console with esbuild into memory: no build step before `npm start`, nothing written
 * to the tree, and a fresh clone serves the console as soon as `npm install` has run. esbuild
 * bundles, type-strips and minifies the whole console in well under a second.
 */
export async function buildUiBundle(entry = UI_ENTRY): Promise<UiBundle> {
  const out = await build({
    entryPoints: { app: entry },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    write: false,
    outdir: 'ui-out',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const assets = new Map<string, UiAsset>();
  let bytes = 0;
  for (const f of out.outputFiles) {
    const name = f.path.split('/').pop() ?? '';
    const ext = name.split('.').pop() ?? '';
    const body = Buffer.from(f.contents);
    bytes += body.length;
    assets.set(name, {
      body,
      type: TYPES[ext] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    });
  }
  return { assets, bytes };
}

let cached: Promise<UiBundle> | null = null;

/** The process-wide bundle, built once on first use (a failed build is retried on the next call). */
export function uiBundle(): Promise<UiBundle> {
  if (!cached) {
    cached = buildUiBundle();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}
