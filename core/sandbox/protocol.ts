/**
 * Messages between the template sandbox pool (parent) and a sandbox process (child). Plain data
 * only: they cross a process boundary.
 */
export interface SandboxInit {
  type: 'init';
  /** Project root (plugins are loaded from it exactly as the parent loads them). */
  root: string;
  /** The effective configuration (plugins read their settings from it). */
  config: Record<string, unknown>;
  /** Plugin module references (as the registry recorded them) that provide renderers and parsers. */
  sources: string[];
}

export interface SandboxTask {
  type: 'task';
  id: number;
  kind: 'render' | 'parse';
  /** Renderer or parser plugin name. */
  name: string;
  /** The plugin's input (RenderInput or ParseInput). */
  input: Record<string, unknown>;
  /** Largest serialised result the child may send back, in bytes. */
  maxResultBytes: number;
}

/** A NetPulseError (or any error) flattened for the trip back. */
export interface SandboxFailure {
  code: string | null;
  message: string;
  data?: unknown;
  errorType?: string;
}

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'init-failed'; message: string }
  | { type: 'result'; id: number; json: string }
  | { type: 'error'; id: number; error: SandboxFailure };
