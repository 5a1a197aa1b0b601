/**
 * The NetPulse TypeScript SDK (`import { NetPulseClient } from 'netpulse/client'`). See docs/sdk.md.
 */
export { NetPulseClient, isEnded } from './client.ts';
export type { ClientOptions, CallOptions, EventStreamOptions, WaitOptions, WaitBatchOptions } from './client.ts';
export {
  NetPulseApiError,
  NetPulseAuthError,
  NetPulseConnectionError,
  NetPulseNotFoundError,
  NetPulseUnavailableError,
  NetPulseValidationError,
} from './errors.ts';
export type { ValidationIssue } from './errors.ts';
export type * from './types.ts';
export type { paths } from './api-types.ts';
