import { stringify } from 'yaml';

/**
 * A small renderer for the subset of Go templates (with Helm/Sprig
 * functions) that charts/tollgate-agent uses, since no `helm` binary can run
 * here. Unsupported syntax or functions throw instead of rendering
 * something plausible, so the chart tests cannot silently pass on a
 * template this renderer misreads.
 *
 * Supported: text with `{{-`/`-}}` trimming and `{{/* comments *\/}}`;
 * `if`/`else if`/`else`, `with`/`else`, `range` (over lists and maps),
 * `define`, `end`; pipelines with `|` and parentheses; fields on `.`, `$`
 * and `$variables`; `$x := pipeline`; string, number, boolean and nil
 * literals; the functions in {@link FUNCTIONS}.
 */

type Value = unknown;

type Operand =
  | { kind: 'field'; base: 'dot' | string; path: string[] }
  | { kind: 'literal'; value: Value }
  | { kind: 'function'; name: string }
  | { kind: 'group'; pipeline: Pipeline };

interface Pipeline {
  declare?: string;
  commands: Operand[][];
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipeline: Pipeline }
  | {
      kind: 'if';
      branches: Array<{ condition: Pipeline; body: Node[] }>;
      otherwise: Node[];
    }
  | {
      kind: 'with' | 'range';
      pipeline: Pipeline;
      body: Node[];
      otherwise: Node[];
    };

interface RawAction {
  kind: 'action';
  source: string;
}

type Piece = { kind: 'text'; text: string } | RawAction;

export class TemplateError extends Error {}

export class GoTemplates {
  private readonly defines = new Map<string, Node[]>();
  private readonly files = new Map<string, Node[]>();

  /** Parses a template file; `define`s become available to every file. */
  add(name: string, source: string): void {
    const parser = new Parser(lex(source), name);
    const nodes = parser.parseBody(['EOF']);
    for (const [defined, body] of parser.defines)
      this.defines.set(defined, body);
    this.files.set(name, nodes);
  }

  render(name: string, data: Value): string {
    const nodes = this.files.get(name);
    if (!nodes) throw new TemplateError(`no template ${name}`);
    return this.renderNodes(nodes, data, new Scope(undefined, data));
  }

  private renderNodes(nodes: Node[], dot: Value, scope: Scope): string {
    let output = '';
    for (const node of nodes) output += this.renderNode(node, dot, scope);
    return output;
  }

  private renderNode(node: Node, dot: Value, scope: Scope): string {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'output': {
        const value = this.evaluate(node.pipeline, dot, scope);
        return node.pipeline.declare ? '' : print(value);
      }
      case 'if': {
        const inner = new Scope(scope);
        for (const branch of node.branches) {
          if (truthy(this.evaluate(branch.condition, dot, inner)))
            return this.renderNodes(branch.body, dot, inner);
        }
        return this.renderNodes(node.otherwise, dot, inner);
      }
      case 'with': {
        const inner = new Scope(scope);
        const value = this.evaluate(node.pipeline, dot, inner);
        return truthy(value)
          ? this.renderNodes(node.body, value, inner)
          : this.renderNodes(node.otherwise, dot, inner);
      }
      case 'range': {
        const inner = new Scope(scope);
        const value = this.evaluate(node.pipeline, dot, inner);
        const items = Array.isArray(value)
          ? value
          : isMap(value)
          ? Object.keys(value)
              .sort()
              .map(key => value[key])
          : value == null
          ? []
          : fail(`range over ${typeof value}`);
        if (items.length === 0)
          return this.renderNodes(node.otherwise, dot, inner);
        return items
          .map(item => this.renderNodes(node.body, item, new Scope(inner)))
          .join('');
      }
    }
  }

  private evaluate(pipeline: Pipeline, dot: Value, scope: Scope): Value {
    let piped: Value = NOTHING;
    for (const command of pipeline.commands)
      piped = this.command(command, dot, scope, piped);
    if (pipeline.declare) scope.declare(pipeline.declare, piped);
    return piped;
  }

  private command(
    command: Operand[],
    dot: Value,
    scope: Scope,
    piped: Value,
  ): Value {
    const [head, ...rest] = command;
    if (head.kind === 'function') {
      const args = rest.map(operand => this.operand(operand, dot, scope));
      if (piped !== NOTHING) args.push(piped);
      return this.call(head.name, args);
    }
    if (rest.length > 0 || piped !== NOTHING)
      throw new TemplateError('a value cannot take arguments');
    return this.operand(head, dot, scope);
  }

  private operand(operand: Operand, dot: Value, scope: Scope): Value {
    switch (operand.kind) {
      case 'literal':
        return operand.value;
      case 'group':
        return this.evaluate(operand.pipeline, dot, scope);
      case 'function':
        return this.call(operand.name, []);
      case 'field': {
        let value = operand.base === 'dot' ? dot : scope.get(operand.base);
        for (const part of operand.path) {
          if (value == null)
            throw new TemplateError(`nil pointer evaluating .${part}`);
          if (!isMap(value))
            throw new TemplateError(`cannot read .${part} of ${typeof value}`);
          value = value[part];
        }
        return value;
      }
    }
  }

  private call(name: string, args: Value[]): Value {
    if (name === 'include') {
      const [template, data] = args;
      const body = this.defines.get(String(template));
      if (!body) throw new TemplateError(`no template "${template}" defined`);
      return this.renderNodes(body, data, new Scope(undefined, data));
    }
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn) throw new TemplateError(`function "${name}" not supported`);
    return fn(...args);
  }
}

const NOTHING = Symbol('nothing');

class Scope {
  private readonly variables = new Map<string, Value>();
  private readonly parent: Scope | undefined;

  constructor(parent: Scope | undefined, root?: Value) {
    this.parent = parent;
    if (!parent) this.variables.set('$', root);
  }

  declare(name: string, value: Value): void {
    this.variables.set(name, value);
  }

  get(name: string): Value {
    if (this.variables.has(name)) return this.variables.get(name);
    if (this.parent) return this.parent.get(name);
    throw new TemplateError(`undefined variable ${name}`);
  }
}

// ---- functions ------------------------------------------------------------

const FUNCTIONS: Record<string, (...args: any[]) => Value> = {
  default: (fallback, value) => (empty(value) ? fallback : value),
  required: (message, value) => {
    if (value == null || value === '')
      throw new TemplateError(`required: ${message}`);
    return value;
  },
  empty: value => empty(value),
  not: value => !truthy(value),
  and: (...values) => values.find(value => !truthy(value)) ?? values.at(-1),
  or: (...values) => values.find(value => truthy(value)) ?? values.at(-1),
  eq: (first, ...others) => others.some(other => other === first),
  ne: (a, b) => a !== b,
  quote: (...values) =>
    values
      .filter(value => value != null)
      .map(value => JSON.stringify(print(value)))
      .join(' '),
  toYaml: value =>
    value == null
      ? 'null'
      : stringify(value, { sortMapEntries: true }).replace(/\n$/, ''),
  indent: (spaces: number, text: string) => indent(spaces, text),
  nindent: (spaces: number, text: string) => `\n${indent(spaces, text)}`,
  trunc: (length: number, text: string) => String(text).slice(0, length),
  trimSuffix: (suffix: string, text: string) =>
    String(text).endsWith(suffix)
      ? String(text).slice(0, -suffix.length)
      : String(text),
  replace: (from: string, to: string, text: string) =>
    String(text).split(from).join(to),
  contains: (part: string, text: string) => String(text).includes(part),
  printf: (format: string, ...args: Value[]) => sprintf(format, args),
  b64enc: (text: string) => Buffer.from(String(text)).toString('base64'),
  toString: (value: Value) => print(value),
};

function sprintf(format: string, args: Value[]): string {
  let index = 0;
  return format.replace(/%[sdv%]/g, verb =>
    verb === '%%' ? '%' : print(args[index++]),
  );
}

function indent(spaces: number, text: string): string {
  const pad = ' '.repeat(spaces);
  return pad + String(text).split('\n').join(`\n${pad}`);
}

function empty(value: Value): boolean {
  return !truthy(value);
}

function truthy(value: Value): boolean {
  if (value == null || value === false || value === 0 || value === '')
    return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}

function print(value: Value): string {
  if (value == null) return '';
  if (typeof value === 'object')
    throw new TemplateError('printing a map or list: use toYaml');
  return String(value);
}

function isMap(value: Value): value is Record<string, Value> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new TemplateError(message);
}

// ---- lexing ---------------------------------------------------------------

/** Splits text and actions, applying `{{-` and `-}}` whitespace trimming and dropping comments. */
function lex(source: string): Piece[] {
  const pieces: Piece[] = [];
  let position = 0;
  let trimNext = false;
  while (position < source.length) {
    const open = source.indexOf('{{', position);
    let text = source.slice(position, open === -1 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open === -1) {
      pieces.push({ kind: 'text', text });
      break;
    }
    const close = findClose(source, open + 2);
    const raw = source.slice(open + 2, close);
    const trimBefore = /^-\s/.test(raw);
    const trimAfter = /\s-$/.test(raw);
    if (trimBefore) text = text.replace(/\s+$/, '');
    pieces.push({ kind: 'text', text });
    const inner = raw
      .slice(trimBefore ? 1 : 0, trimAfter ? -1 : undefined)
      .trim();
    if (!(inner.startsWith('/*') && inner.endsWith('*/')))
      pieces.push({ kind: 'action', source: inner });
    trimNext = trimAfter;
    position = close + 2;
  }
  return pieces;
}

function findClose(source: string, from: number): number {
  let quote: string | undefined;
  for (let index = from; index < source.length; index += 1) {
    const char = source[index];
    if (quote) {
      if (char === '\\' && quote === '"') index += 1;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === '`') {
      quote = char;
    } else if (source.startsWith('}}', index)) {
      return index;
    }
  }
  throw new TemplateError('unclosed action');
}

type Token = { type: 'word' | 'string' | 'number' | 'symbol'; text: string };

function tokenize(action: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?)|(:=|[|()=,])|([$.A-Za-z_][\w.$]*))/y;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < action.length && (match = pattern.exec(action))) {
    if (match[1]) tokens.push({ type: 'string', text: JSON.parse(match[1]) });
    else if (match[2])
      tokens.push({ type: 'string', text: match[2].slice(1, -1) });
    else if (match[3]) tokens.push({ type: 'number', text: match[3] });
    else if (match[4]) tokens.push({ type: 'symbol', text: match[4] });
    else if (match[5]) tokens.push({ type: 'word', text: match[5] });
  }
  if (action.slice(pattern.lastIndex).trim())
    throw new TemplateError(`cannot read "${action}"`);
  return tokens;
}

// ---- parsing --------------------------------------------------------------

class Parser {
  readonly defines = new Map<string, Node[]>();
  private readonly pieces: Piece[];
  private readonly file: string;
  private index = 0;

  constructor(pieces: Piece[], file: string) {
    this.pieces = pieces;
    this.file = file;
  }

  /** Parses until one of `stops` (`end`, `else`, or `EOF`); returns the body. */
  parseBody(stops: string[]): Node[] {
    const nodes: Node[] = [];
    while (this.index < this.pieces.length) {
      const piece = this.pieces[this.index];
      if (piece.kind === 'text') {
        this.index += 1;
        if (piece.text) nodes.push(piece);
        continue;
      }
      const keyword = piece.source.split(/\s+/)[0];
      if (keyword === 'end' || keyword === 'else') {
        if (!stops.includes(keyword))
          throw new TemplateError(`${this.file}: unexpected ${keyword}`);
        return nodes;
      }
      this.index += 1;
      nodes.push(...this.parseAction(piece.source, keyword));
    }
    if (!stops.includes('EOF'))
      throw new TemplateError(`${this.file}: missing end`);
    return nodes;
  }

  private parseAction(source: string, keyword: string): Node[] {
    const rest = source.slice(keyword.length).trim();
    switch (keyword) {
      case 'if':
        return [this.parseIf(rest)];
      case 'with':
      case 'range': {
        const pipeline = parsePipeline(tokenize(rest));
        const body = this.parseBody(['end', 'else']);
        const otherwise = this.takeElse() ? this.parseBody(['end']) : [];
        this.expect('end');
        return [{ kind: keyword, pipeline, body, otherwise }];
      }
      case 'define': {
        const [name] = tokenize(rest);
        const body = this.parseBody(['end']);
        this.expect('end');
        this.defines.set(name.text, body);
        return [];
      }
      default:
        if (['template', 'block', 'break', 'continue'].includes(keyword)) {
          throw new TemplateError(`${this.file}: "${keyword}" not supported`);
        }
        return [{ kind: 'output', pipeline: parsePipeline(tokenize(source)) }];
    }
  }

  private parseIf(conditionSource: string): Node {
    const branches = [
      {
        condition: parsePipeline(tokenize(conditionSource)),
        body: this.parseBody(['end', 'else']),
      },
    ];
    let otherwise: Node[] = [];
    for (;;) {
      const elseSource = this.takeElse();
      if (elseSource === undefined) break;
      if (elseSource.startsWith('if ')) {
        branches.push({
          condition: parsePipeline(tokenize(elseSource.slice(3))),
          body: this.parseBody(['end', 'else']),
        });
        continue;
      }
      otherwise = this.parseBody(['end']);
      break;
    }
    this.expect('end');
    return { kind: 'if', branches, otherwise };
  }

  /** Consumes an `else ...` action, returning what follows `else`. */
  private takeElse(): string | undefined {
    const piece = this.pieces[this.index];
    if (piece?.kind !== 'action' || !/^else\b/.test(piece.source))
      return undefined;
    this.index += 1;
    return piece.source.slice(4).trim();
  }

  private expect(keyword: string): void {
    const piece = this.pieces[this.index];
    if (piece?.kind !== 'action' || piece.source !== keyword)
      throw new TemplateError(`${this.file}: expected ${keyword}`);
    this.index += 1;
  }
}

function parsePipeline(tokens: Token[]): Pipeline {
  let declare: string | undefined;
  if (tokens[1]?.text === ':=' && tokens[0].text.startsWith('$')) {
    declare = tokens[0].text;
    tokens = tokens.slice(2);
  }
  const commands: Operand[][] = [[]];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (token.type === 'symbol' && token.text === '|') {
      commands.push([]);
    } else if (token.type === 'symbol' && token.text === '(') {
      const end = matchingParen(tokens, index);
      commands.at(-1)!.push({
        kind: 'group',
        pipeline: parsePipeline(tokens.slice(index + 1, end)),
      });
      index = end;
    } else {
      commands.at(-1)!.push(operand(token));
    }
  }
  if (commands.some(command => command.length === 0))
    throw new TemplateError('empty command in pipeline');
  return { declare, commands };
}

function matchingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index += 1) {
    if (tokens[index].text === '(' && tokens[index].type === 'symbol')
      depth += 1;
    if (
      tokens[index].text === ')' &&
      tokens[index].type === 'symbol' &&
      --depth === 0
    )
      return index;
  }
  throw new TemplateError('unbalanced parentheses');
}

function operand(token: Token): Operand {
  if (token.type === 'string') return { kind: 'literal', value: token.text };
  if (token.type === 'number')
    return { kind: 'literal', value: Number(token.text) };
  if (token.type === 'symbol')
    throw new TemplateError(`unexpected "${token.text}"`);
  const word = token.text;
  if (word === 'true' || word === 'false')
    return { kind: 'literal', value: word === 'true' };
  if (word === 'nil') return { kind: 'literal', value: null };
  if (word.startsWith('.'))
    return {
      kind: 'field',
      base: 'dot',
      path: word.split('.').filter(Boolean),
    };
  if (word.startsWith('$')) {
    const [base, ...path] = word.split('.');
    return { kind: 'field', base, path };
  }
  return { kind: 'function', name: word };
}
