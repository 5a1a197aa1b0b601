/** The response envelope of every route (SPEC 1.2): `{code, message, data}`; errors use code -1. */
export function ok(data: unknown, code = 200, message = 'success') {
  return { code, message, data };
}

export function fail(message: string, data: unknown = null) {
  return { code: -1, message, data };
}

/**
 * OpenAPI description of the envelope, for route docs.
 * @public route response schemas build on it
 */
export const envelopeSchema = (data: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: { code: { type: 'integer' }, message: { type: ['string', 'null'] }, data },
});
