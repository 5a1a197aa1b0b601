/** Standard Webhooks signing, checked against the reference verifier and the hand-written check in docs/webhooks.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { isSigningSecret, signatureHeaders, signingSecrets } from '../../../core/webhooks/signing.ts';
import { PROJECT_ROOT } from '../../helpers/server.ts';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;

test('signatures verify with the standardwebhooks package, one per secret', () => {
  const [a, b] = [secret(), secret()];
  const body = JSON.stringify({ id: 'j1', event: 'job.finished' });
  const h = signatureHeaders([a, b], 'evt_j1', body);
  assert.deepEqual(new Webhook(a).verify(body, h), JSON.parse(body));
  assert.deepEqual(new Webhook(b).verify(body, h), JSON.parse(body));
  assert.throws(() => new Webhook(secret()).verify(body, h));
  assert.throws(() => new Webhook(a).verify(body, { ...h, 'webhook-id': 'evt_j2' }));
});

test('request secrets win over the configured pair; malformed ones are ignored', () => {
  const [a, b, c] = [secret(), secret(), secret()];
  assert.deepEqual(signingSecrets({ secret: a }, [b, c]), [a]);
  assert.deepEqual(signingSecrets({ secret: [a, b] }, [c, null]), [a, b]);
  assert.deepEqual(signingSecrets({}, [b, null]), [b]);
  assert.deepEqual(signingSecrets({}, [null, null]), []);
  assert.equal(isSigningSecret('whsec_short'), false);
  assert.equal(isSigningSecret(a), true);
});

test('the verification snippet in docs/webhooks.md accepts our signatures and rejects forgeries', () => {
  const doc = readFileSync(resolve(PROJECT_ROOT, 'docs/webhooks.md'), 'utf8');
  const code = /```js\n(import \{ createHmac[^\n]*\n)([\s\S]*?)```/.exec(doc);
  assert.ok(code, 'snippet found');
  const verify = new Function('createHmac', 'timingSafeEqual', `${code[2]}\nreturn verify;`)(
    createHmac,
    timingSafeEqual,
  ) as (s: string, h: Record<string, string>, b: string) => boolean;
  const [a, b] = [secret(), secret()];
  const body = '{"id":"j1"}';
  const h = signatureHeaders([a, b], 'evt_j1', body);
  assert.equal(verify(a, h, body), true);
  assert.equal(verify(b, h, body), true);
  assert.equal(verify(secret(), h, body), false);
  assert.equal(verify(a, h, '{"id":"j2"}'), false);
  assert.equal(
    verify(a, signatureHeaders([a], 'evt_j1', body, Date.now() - 600_000), body),
    false,
    'old timestamps are refused',
  );
});
