import { api, type Catalog } from './api.ts';

/**
 * What the console remembers for this tab only (never written to storage): bulk requests it
 * launched, so "retry failed" can resend them with their credentials, and the hosts the server
 * refused at submit time (they never became jobs).
 */
export interface Launched {
  body: Record<string, unknown>;
  rejected: Record<string, string>;
}

export const launched = new Map<string, Launched>();

/** A request the Run page should open with (e.g. retry-failed of a batch launched elsewhere). */
export let runDraft: Record<string, unknown> | null = null;
export function setRunDraft(d: Record<string, unknown> | null): void {
  runDraft = d;
}

let catalog: Promise<Catalog> | null = null;
export function getCatalog(): Promise<Catalog> {
  if (!catalog) {
    catalog = api<Catalog>('GET', '/ui/api/catalog');
    catalog.catch(() => (catalog = null));
  }
  return catalog;
}
