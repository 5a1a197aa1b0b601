import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NetPulseConfig } from '../../config/types.ts';
import { NetPulseError } from '../../errors.ts';
import { authorized, keyMatches } from '../auth.ts';
import { ok } from '../envelope.ts';
import { UI_PREFIX } from './paths.ts';

const signInBody = {
  type: 'object',
  additionalProperties: false,
  required: ['key'],
  properties: { key: { type: 'string', minLength: 1, maxLength: 1024 } },
};

/**
 * Sign-in for the console. The server already accepts the key from a cookie named
 * `server.api_key_name`; this route checks a key once (constant time) and sets that cookie
 * HttpOnly (no script can read it), SameSite=Strict (no other site can make the browser send it)
 * and Secure on HTTPS. It is a browser-session cookie: it ends when the browser closes.
 */
export function sessionRoutes(app: FastifyInstance, config: NetPulseConfig): void {
  const name = config.server.api_key_name;
  const cookieOptions = (req: FastifyRequest) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: req.protocol === 'https',
  });

  app.post(
    `${UI_PREFIX}/session`,
    {
      schema: {
        hide: true,
        tags: ['ui'],
        summary: 'Web console sign-in: sets the API key as an HttpOnly cookie',
        body: signInBody,
      },
    },
    async (req, reply: FastifyReply) => {
      const { key } = req.body as { key: string };
      const expected = config.server.api_key;
      if (!expected || !keyMatches(key, expected)) throw new NetPulseError('NP_ERR_UNAUTHORIZED');
      void reply.setCookie(name, key, cookieOptions(req));
      return ok({ signed_in: true });
    },
  );

  app.get(
    `${UI_PREFIX}/session`,
    { schema: { hide: true, tags: ['ui'], summary: 'Whether the request carries a valid key (console start-up)' } },
    async (req) => {
      const expected = config.server.api_key;
      return ok({ signed_in: !!expected && authorized(req, name, expected) });
    },
  );

  app.delete(
    `${UI_PREFIX}/session`,
    { schema: { hide: true, tags: ['ui'], summary: 'Web console sign-out: clears the cookie' } },
    async (req, reply: FastifyReply) => {
      void reply.clearCookie(name, cookieOptions(req));
      return ok({ signed_in: false });
    },
  );
}
