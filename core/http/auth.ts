import { createHash, timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';

/** Paths that need no key: the API documentation only (SPEC 1.1; `/health` needs the key). */
export function isPublicPath(url: string): boolean {
  const path = url.split('?')[0];
  return path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/');
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Constant-time comparison: both sides are hashed to 32 bytes first, so neither the content nor
 * the length of the expected key leaks through timing.
 */
export function keyMatches(candidate: string | undefined, expected: string): boolean {
  if (typeof candidate !== 'string') return false;
  return timingSafeEqual(digest(candidate), digest(expected));
}

/** Looks for the key in the query (case-sensitive name), then the header, then the cookie. */
export function presentedKeys(req: FastifyRequest, name: string): string[] {
  const keys: string[] = [];
  const q = (req.query ?? {}) as Record<string, unknown>;
  if (typeof q[name] === 'string') keys.push(q[name] as string);
  const h = req.headers[name.toLowerCase()];
  if (typeof h === 'string') keys.push(h);
  const c = req.cookies?.[name];
  if (typeof c === 'string') keys.push(c);
  return keys;
}

export function authorized(req: FastifyRequest, name: string, expected: string): boolean {
  // Evaluate every candidate so timing does not reveal which placement was tried.
  let okAny = false;
  for (const k of presentedKeys(req, name)) okAny = keyMatches(k, expected) || okAny;
  return okAny;
}
