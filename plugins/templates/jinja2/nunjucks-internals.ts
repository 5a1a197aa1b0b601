/**
 * Typed access to the nunjucks modules the public typings do not describe (parser, compiler,
 * nodes, runtime). We compile templates ourselves with a Jinja2-flavoured compiler instead of
 * patching nunjucks globally (`installJinjaCompat` mutates shared prototypes for every user of
 * the module), so these internals are needed directly.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A nunjucks AST node; fields depend on `typename`. */
export interface NjNode {
  typename: string;
  lineno: number;
  colno: number;
  [field: string]: any;
}

export interface NjNodeClass {
  new (lineno: number, colno: number, ...fields: any[]): NjNode;
  extend(name: string, props: Record<string, unknown>): NjNodeClass;
}

export interface NjFrame {
  lookup(name: string): any;
  set(name: string, value: unknown, resolveUp?: boolean): void;
  push(isolateWrites?: boolean): NjFrame;
  pop(): NjFrame;
}

export interface NjSafeString {
  val: string;
  toString(): string;
}

export const njNodes = require('nunjucks/src/nodes.js') as Record<string, NjNodeClass>;
export const njLexer = require('nunjucks/src/lexer.js') as Record<string, any>;
export const njParserModule = require('nunjucks/src/parser.js') as { Parser: any };
export const njCompilerModule = require('nunjucks/src/compiler.js') as { Compiler: any };
export const njTransformer = require('nunjucks/src/transformer.js') as {
  transform(ast: NjNode, asyncFilters: string[], name?: string): NjNode;
};
export const njRuntime = require('nunjucks/src/runtime.js') as {
  SafeString: new (val: string) => NjSafeString;
  Frame: new (parent?: NjFrame, isolateWrites?: boolean) => NjFrame;
  markSafe(val: unknown): unknown;
};
