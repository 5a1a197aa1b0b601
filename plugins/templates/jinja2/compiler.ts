/**
 * A nunjucks compiler and parser with Jinja2 semantics.
 *
 * nunjucks parses almost the same language as Jinja2 but evaluates it with JavaScript rules.
 * Subclasses (not global patches, so other nunjucks users are unaffected) route every
 * operator, lookup, test of truth, output and loop through the Python-semantics helpers that
 * the environment exposes as `env.np` (see `helpers.ts`), and add slices (`x[1:]`), loop
 * filters (`for x in xs if cond`), tuples, `True/False/None` and namespace assignment.
 */
import { njCompilerModule, njLexer, njNodes, njParserModule, njTransformer } from './nunjucks-internals.ts';
import type { NjNode } from './nunjucks-internals.ts';

/** Lexer options understood by nunjucks. */
export interface LexerOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  tags?: Record<string, string>;
}

const nodes: Record<string, any> = njNodes;
const Slice = nodes.Node.extend('Slice', {
  fields: ['start', 'stop', 'step'],
});

const BaseParser = njParserModule.Parser;
const BaseCompiler = njCompilerModule.Compiler;

/** Adds `seq[start:stop:step]`; nunjucks itself only has it through its global compat patch. */
class JinjaParser extends BaseParser {
  constructor(...args: any[]) {
    super(...args);
  }

  parseAggregate(): NjNode | null {
    const tokens = this.tokens;
    const saved = { index: tokens.index, lineno: tokens.lineno, colno: tokens.colno };
    const peekedBefore = this.peeked;
    try {
      return super.parseAggregate();
    } catch (err) {
      // Rewind to the opening bracket and try to read a slice instead.
      tokens.index = saved.index;
      tokens.lineno = saved.lineno;
      tokens.colno = saved.colno;
      this.peeked = peekedBefore;
      const tok = this.peekToken();
      if (tok.type !== njLexer.TOKEN_LEFT_BRACKET) throw err;
      this.nextToken();
      const parts: (NjNode | null)[] = [null, null, null];
      let field = 0;
      let isSlice = false;
      while (!this.skip(njLexer.TOKEN_RIGHT_BRACKET)) {
        if (this.skip(njLexer.TOKEN_COLON)) {
          isSlice = true;
          field++;
          if (field > 2) this.fail('too many slice components', tok.lineno, tok.colno);
          continue;
        }
        if (parts[field] !== null) throw err;
        parts[field] = this.parseExpression();
      }
      if (!isSlice) throw err;
      const slice = new Slice(tok.lineno, tok.colno, parts[0], parts[1], parts[2]);
      return new nodes.Array(tok.lineno, tok.colno, [slice]);
    }
  }
}

const COMPARE_OPS: Record<string, string> = {
  '==': '==',
  '===': '==',
  '!=': '!=',
  '!==': '!=',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

class JinjaCompiler extends BaseCompiler {
  newlineSequence = '\n';

  constructor(...args: any[]) {
    super(...args);
  }

  private isSliceLookup(node: NjNode): boolean {
    return node.val instanceof Slice;
  }

  private emitCall(helper: string, args: (NjNode | null | string)[], frame: unknown): void {
    // Record the (1-based) position like nunjucks does for calls, so runtime errors name a line.
    const at = args.find((a): a is NjNode => typeof a === 'object' && a !== null);
    if (at && typeof at.lineno === 'number') this._emit(`(lineno = ${at.lineno + 1}, colno = ${at.colno + 1}, `);
    else this._emit('(');
    this._emit(`env.np.${helper}(`);
    args.forEach((arg, i) => {
      if (i > 0) this._emit(', ');
      if (arg === null) this._emit('null');
      else if (typeof arg === 'string') this._emit(arg);
      else this.compile(arg, frame);
    });
    this._emit('))');
  }

  compileLiteral(node: NjNode, frame?: unknown): void {
    if (typeof node.value === 'string' && this.newlineSequence !== '\n') {
      const copy = Object.create(node) as NjNode;
      copy.value = node.value.replace(/\n/g, this.newlineSequence);
      super.compileLiteral(copy, frame);
      return;
    }
    super.compileLiteral(node, frame);
  }

  compileSymbol(node: NjNode, frame: any): void {
    const bound = frame.lookup(node.value);
    if (bound) this._emit(bound);
    else if (node.value === 'True') this._emit('true');
    else if (node.value === 'False') this._emit('false');
    else if (node.value === 'None') this._emit('null');
    else this._emit(`env.np.variable(context, frame, ${JSON.stringify(node.value)})`);
  }

  compileGroup(node: NjNode, frame: unknown): void {
    // `(a, b)` is a Python tuple; nunjucks would emit the JavaScript comma operator.
    if (node.children.length > 1) {
      this._emit('env.np.tuple(');
      this._compileAggregate(node, frame, '[', ']');
      this._emit(')');
    } else this._compileAggregate(node, frame, '(', ')');
  }

  compileLookupVal(node: NjNode, frame: unknown): void {
    if (this.isSliceLookup(node)) {
      const slice = node.val;
      this.emitCall('slice', [node.target, slice.start, slice.stop, slice.step], frame);
      return;
    }
    this.emitCall('lookup', [node.target, node.val], frame);
  }

  compileFunCall(node: NjNode, frame: unknown): void {
    if (!(node.name instanceof nodes.LookupVal) || this.isSliceLookup(node.name)) {
      super.compileFunCall(node, frame);
      return;
    }
    this._emit(`(lineno = ${node.lineno + 1}, colno = ${node.colno + 1}, runtime.callWrap(`);
    this.emitCall('methodLookup', [node.name.target, node.name.val], frame);
    this._emit(`, ${JSON.stringify(this._getNodeName(node.name))}, context, `);
    this._compileAggregate(node.args, frame, '[', '])');
    this._emit(')');
  }

  compileOutput(node: NjNode, frame: unknown): void {
    for (const child of node.children as NjNode[]) {
      if (child instanceof nodes.TemplateData) {
        if (child.value) {
          this._emit(`${this.buffer} += `);
          this.compileLiteral(child, frame);
          this._emitLine(';');
        }
      } else {
        this._emit(`${this.buffer} += env.np.output(`);
        this.compile(child, frame);
        this._emitLine(');');
      }
    }
  }

  compileIf(node: NjNode, frame: unknown, async?: boolean): void {
    const wrapped = Object.create(node) as NjNode;
    wrapped.cond = new TruthNode(node.cond.lineno, node.cond.colno, node.cond);
    super.compileIf(wrapped, frame, async);
  }

  compileTruth(node: NjNode, frame: unknown): void {
    this.emitCall('truthy', [node.target], frame);
  }

  compileInlineIf(node: NjNode, frame: unknown): void {
    this._emit('(');
    this.emitCall('truthy', [node.cond], frame);
    this._emit(' ? ');
    this.compile(node.body, frame);
    this._emit(' : ');
    if (node.else_ !== null && node.else_ !== undefined) this.compile(node.else_, frame);
    else this._emit('undefined');
    this._emit(')');
  }

  compileNot(node: NjNode, frame: unknown): void {
    this._emit('!');
    this.emitCall('truthy', [node.target], frame);
  }

  compileOr(node: NjNode, frame: unknown): void {
    // Python `a or b` yields an operand, decided by Python truthiness; `b` is evaluated lazily.
    this._emit('((__l) => env.np.truthy(__l) ? __l : (');
    this.compile(node.right, frame);
    this._emit('))(');
    this.compile(node.left, frame);
    this._emit(')');
  }

  compileAnd(node: NjNode, frame: unknown): void {
    this._emit('((__l) => !env.np.truthy(__l) ? __l : (');
    this.compile(node.right, frame);
    this._emit('))(');
    this.compile(node.left, frame);
    this._emit(')');
  }

  compileIn(node: NjNode, frame: unknown): void {
    this.emitCall('pyIn', [node.left, node.right], frame);
  }

  compileAdd(node: NjNode, frame: unknown): void {
    this.emitCall('add', [node.left, node.right], frame);
  }

  compileSub(node: NjNode, frame: unknown): void {
    this.emitCall('sub', [node.left, node.right], frame);
  }

  compileMul(node: NjNode, frame: unknown): void {
    this.emitCall('mul', [node.left, node.right], frame);
  }

  compileDiv(node: NjNode, frame: unknown): void {
    this.emitCall('div', [node.left, node.right], frame);
  }

  compileFloorDiv(node: NjNode, frame: unknown): void {
    this.emitCall('floorDiv', [node.left, node.right], frame);
  }

  compileMod(node: NjNode, frame: unknown): void {
    this.emitCall('mod', [node.left, node.right], frame);
  }

  compilePow(node: NjNode, frame: unknown): void {
    this.emitCall('pow', [node.left, node.right], frame);
  }

  compileNeg(node: NjNode, frame: unknown): void {
    this.emitCall('neg', [node.target], frame);
  }

  compileConcat(node: NjNode, frame: unknown): void {
    this.emitCall('concat', [node.left, node.right], frame);
  }

  compileCompare(node: NjNode, frame: unknown): void {
    this._emit('env.np.compare(');
    this.compile(node.expr, frame);
    this._emit(', [');
    (node.ops as NjNode[]).forEach((op, i) => {
      const jsOp = COMPARE_OPS[op.type];
      if (!jsOp) this.fail(`unknown comparison operator ${op.type}`, op.lineno, op.colno);
      this._emit(`${i > 0 ? ', ' : ''}${JSON.stringify(jsOp)}, `);
      this.compile(op.expr, frame);
    });
    this._emit('])');
  }

  compileSet(node: NjNode, frame: unknown): void {
    const target = node.targets[0] as NjNode;
    if (node.targets.length === 1 && target instanceof nodes.LookupVal) {
      // `{% set ns.attr = value %}` assigns on a namespace() object.
      this._emit('env.np.setAttribute(');
      this.compile(target.target, frame);
      this._emit(', ');
      this.compile(target.val, frame);
      this._emit(', ');
      if (node.value) this.compile(node.value, frame);
      else this.compile(node.body, frame);
      this._emitLine(');');
      return;
    }
    for (const t of node.targets as NjNode[]) {
      if (!(t instanceof nodes.Symbol))
        this.fail('can only assign to names or namespace attributes', t.lineno, t.colno);
    }
    super.compileSet(node, frame);
  }

  /** Binds the loop target(s) of a `for` to `item` in the runtime and compile frames. */
  private bindLoopTarget(nameNode: NjNode, item: string, frame: any): void {
    if (nameNode instanceof nodes.Array) {
      const names = (nameNode.children as NjNode[]).map((c) => c.value as string);
      const parts = this._tmpid();
      this._emitLine(`var ${parts} = env.np.unpack(${item}, ${names.length});`);
      names.forEach((name, u) => {
        const id = this._tmpid();
        this._emitLine(`var ${id} = ${parts}[${u}];`);
        this._emitLine(`frame.set(${JSON.stringify(name)}, ${id});`);
        frame.set(name, id);
      });
    } else {
      const id = this._tmpid();
      this._emitLine(`var ${id} = ${item};`);
      this._emitLine(`frame.set(${JSON.stringify(nameNode.value)}, ${id});`);
      frame.set(nameNode.value, id);
    }
  }

  compileFor(node: NjNode, frame: any): void {
    const i = this._tmpid();
    const len = this._tmpid();
    const arr = this._tmpid();
    let source: NjNode = node.arr;
    let filter: NjNode | null = null;
    // nunjucks parses `for x in xs if cond` as the inline-if `xs if cond`; Jinja2 has no
    // inline-if without else in that position, so it is always a loop filter.
    if (source instanceof nodes.InlineIf && (source.else_ === null || source.else_ === undefined)) {
      filter = source.cond;
      source = source.body;
    }
    this._emit(`var ${arr} = env.np.iterate(`);
    this._compileExpression(source, frame);
    this._emitLine(');');
    if (filter) {
      const item = this._tmpid();
      const filterFrame = frame.push();
      this._emitLine(`${arr} = ${arr}.filter(function(${item}) {`);
      this._emitLine('frame = frame.push(true);');
      this.bindLoopTarget(node.name, item, filterFrame);
      const keep = this._tmpid();
      this._emit(`var ${keep} = `);
      this.emitCall('truthy', [filter], filterFrame);
      this._emitLine(';');
      this._emitLine('frame = frame.pop();');
      this._emitLine(`return ${keep};`);
      this._emitLine('});');
    }
    // Jinja2 scopes `set` inside a loop body to the loop: writes do not leak out.
    frame = frame.push();
    this._emitLine('frame = frame.push(true);');
    this._emitLine(`var ${len} = ${arr}.length;`);
    this._emitLine(`for (var ${i} = 0; ${i} < ${len}; ${i}++) {`);
    this.bindLoopTarget(node.name, `${arr}[${i}]`, frame);
    const bindings: [string, string][] = [
      ['index', `${i} + 1`],
      ['index0', i],
      ['revindex', `${len} - ${i}`],
      ['revindex0', `${len} - ${i} - 1`],
      ['first', `${i} === 0`],
      ['last', `${i} === ${len} - 1`],
      ['length', len],
      ['depth', '1'],
      ['depth0', '0'],
      ['previtem', `${arr}[${i} - 1]`],
      ['nextitem', `${arr}[${i} + 1]`],
      ['cycle', `env.np.cycle(${i})`],
    ];
    for (const [name, value] of bindings) this._emitLine(`frame.set("loop.${name}", ${value});`);
    this._withScopedSyntax(() => {
      this.compile(node.body, frame);
    });
    this._emitLine('}');
    this._emitLine('frame = frame.pop();');
    if (node.else_) {
      this._emitLine(`if (!${len}) {`);
      this.compile(node.else_, frame.pop());
      this._emitLine('}');
    }
  }
}

/** Wraps a condition so `if` tests it with Python truthiness. */
const TruthNode = nodes.Node.extend('Truth', { fields: ['target'] });

// `_compileExpression` type-checks its node against a fixed list; our synthetic nodes are
// expressions too.
const baseAssertType = BaseCompiler.prototype.assertType;
JinjaCompiler.prototype.assertType = function assertType(this: unknown, node: NjNode, ...types: unknown[]) {
  if (node instanceof TruthNode || node instanceof Slice) return;
  baseAssertType.call(this, node, ...types);
};

export interface CompileOptions extends LexerOptions {
  newlineSequence: string;
}

/**
 * Compiles template source to the `{root, b_<block>…}` object nunjucks' `Template` accepts as
 * precompiled code. Throws nunjucks `TemplateError`s for syntax errors.
 */
export function compileTemplate(source: string, name: string, opts: CompileOptions): Record<string, unknown> {
  const parser = new JinjaParser(
    njLexer.lex(source, { trimBlocks: opts.trimBlocks, lstripBlocks: opts.lstripBlocks, tags: opts.tags }),
  );
  const ast = parser.parseAsRoot();
  const compiler = new JinjaCompiler(name, false);
  compiler.newlineSequence = opts.newlineSequence;
  compiler.compile(njTransformer.transform(ast, [], name));
  const code: string = compiler.getCode();
  return new Function(code)() as Record<string, unknown>;
}
