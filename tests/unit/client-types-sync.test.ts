/**
 * core/client/api-types.ts is generated from the server's OpenAPI document; this fails when a route
 * schema changed without regenerating it (`npx tsx scripts/gen-client-types.ts`).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CLIENT_TYPES_FILE, generateClientTypes } from '../../scripts/gen-client-types.ts';

it('the SDK types match the OpenAPI document the server serves', async () => {
  const fresh = await generateClientTypes();
  const stored = readFileSync(CLIENT_TYPES_FILE, 'utf8');
  assert.ok(fresh === stored, 'core/client/api-types.ts is stale: run `npx tsx scripts/gen-client-types.ts`');
});
