/**
 * Works out a revision attribute written as an expression the way a reader of the code
 * would, without running Python: module-level string constants and tuples or lists of
 * them, in the same file or in a module of the repository reached by `import x.y as z`,
 * `from x import y` or a class body, joined with `+`, implicit concatenation or f-strings.
 * Anything else (a call, a subscript, an environment lookup) is reported as undecidable
 * with the reason, for Alembic itself to read.
 *
 * Modules are looked up in the folders Python would search for them when Alembic loads the
 * revision (prepend_sys_path, the package holding the script location); each is read and
 * tokenized once per load.
 */
import * as path from 'node:path';
import { isDirectory, readTextIfPresent } from '../platform/fs-probe';
import { stringValue, tokenizePython, unescapePython, type Statement, type Token, type TokenizedSource } from './python-tokens';

/** A Python value we can know statically: None, a string, or a tuple/list of values. */
export type StaticValue = null | string | StaticValue[];

interface ModuleRef {
  ref: 'module';
  name: string;
}
interface ClassRef {
  ref: 'class';
  scope: ModuleScope;
  body: Statement[];
}
type Value = StaticValue | ModuleRef | ClassRef;
type Evaluated = { ok: true; value: Value } | { ok: false; reason: string };

type Binding =
  | { kind: 'expr'; line: number; tokens: Token[] }
  | { kind: 'module'; line: number; module: string }
  | { kind: 'from'; line: number; module: string; name: string }
  | { kind: 'class'; line: number; body: Statement[] };

/** The names a module binds at its top level, each with every line that binds it. */
export interface ModuleScope {
  parsed: TokenizedSource;
  /** Dotted module name; null for a revision file (Alembic loads it outside any package). */
  name: string | null;
  /** True for a package's __init__.py (its relative imports start at the package itself). */
  isPackage: boolean;
  /** For an f-string's inner expression: the module whose source the bindings' tokens point into. */
  home?: ModuleScope;
  bindings: Map<string, Binding[]>;
}

/** Where and how modules are found during one project load. */
export class ModuleFinder {
  private readonly cache = new Map<string, ModuleScope | null>();

  /** @param roots folders searched in order, as sys.path entries. */
  constructor(private readonly roots: string[]) {}

  /** The module's scope; an empty one for a folder without __init__.py (a namespace package); null when not found. */
  find(name: string): ModuleScope | null {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    this.cache.set(name, null);
    const parts = name.split('.');
    let found: ModuleScope | null = null;
    for (const root of this.roots) {
      const base = path.join(root, ...parts);
      for (const file of [`${base}.py`, path.join(base, '__init__.py')]) {
        const text = readTextIfPresent(file);
        if (text !== undefined) {
          found = scopeOf(tokenizePython(text), name, file.endsWith('__init__.py'));
          break;
        }
      }
      if (!found && isDirectory(base)) found = scopeOf(tokenizePython(''), name, true);
      if (found) break;
    }
    this.cache.set(name, found);
    return found;
  }
}

/** Collects a module's top-level bindings: assignments, imports and classes. */
export function scopeOf(parsed: TokenizedSource, name: string | null, isPackage = false): ModuleScope {
  const bindings = new Map<string, Binding[]>();
  const bind = (n: string, b: Binding) => {
    const list = bindings.get(n);
    if (list) list.push(b);
    else bindings.set(n, [b]);
  };
  const statements = parsed.statements;
  for (let s = 0; s < statements.length; s += 1) {
    const st = statements[s];
    if (st.indent !== 0) continue;
    const t = st.tokens;
    const first = t[0];
    if (!first) continue;
    if (first.kind === 'name' && first.text === 'import') {
      for (const item of splitCommas(t.slice(1))) {
        const dotted = dottedName(item, 0);
        if (!dotted) continue;
        const asName = item[dotted.next]?.text === 'as' ? item[dotted.next + 1]?.text : undefined;
        if (asName) bind(asName, { kind: 'module', line: st.line, module: dotted.name });
        else bind(dotted.name.split('.')[0], { kind: 'module', line: st.line, module: dotted.name.split('.')[0] });
      }
    } else if (first.kind === 'name' && first.text === 'from') {
      let k = 1;
      let dots = 0;
      while (t[k] && (t[k].text === '.' || t[k].text === '...')) {
        dots += t[k].text.length;
        k += 1;
      }
      const dotted = t[k]?.text === 'import' ? { name: '', next: k } : dottedName(t, k);
      if (!dotted || t[dotted.next]?.text !== 'import') continue;
      let module = dotted.name;
      if (dots > 0) {
        // Relative imports only work inside a package; a revision file is loaded outside one.
        if (name === null) continue;
        const pkg = isPackage ? [...name.split('.'), ''] : name.split('.');
        if (dots >= pkg.length) continue;
        const base = pkg.slice(0, pkg.length - dots);
        module = [...base, ...(module ? [module] : [])].join('.');
      }
      const rest = t.slice(dotted.next + 1).filter((x) => x.text !== '(' && x.text !== ')');
      for (const item of splitCommas(rest)) {
        if (item[0]?.kind !== 'name' || item[0].text === '*') continue;
        const asName = item[1]?.text === 'as' ? item[2]?.text : undefined;
        bind(asName ?? item[0].text, { kind: 'from', line: st.line, module, name: item[0].text });
      }
    } else if (first.kind === 'name' && first.text === 'class' && t[1]?.kind === 'name') {
      const body: Statement[] = [];
      for (let b = s + 1; b < statements.length && statements[b].indent > 0; b += 1) body.push(statements[b]);
      bind(t[1].text, { kind: 'class', line: st.line, body });
    } else {
      const target = assignmentTargets(t);
      if (target) for (const n of target.names) bind(n, { kind: 'expr', line: st.line, tokens: target.value });
    }
  }
  return { parsed, name, isPackage, bindings };
}

/** `a = b = value` or `a: T = value`: the names bound and the value's tokens. */
function assignmentTargets(t: Token[]): { names: string[]; value: Token[] } | null {
  const names: string[] = [];
  let k = 0;
  for (;;) {
    const n = t[k];
    if (!n || n.kind !== 'name') return null;
    const op = t[k + 1];
    if (op?.text === '=') {
      names.push(n.text);
      k += 2;
      const next = t[k + 1];
      if (t[k]?.kind === 'name' && next?.text === '=') continue;
      return { names, value: t.slice(k) };
    }
    if (op?.text === ':' && names.length === 0) {
      const eq = t.findIndex((x, i) => i > k + 1 && x.text === '=' && x.depth === n.depth);
      return eq < 0 ? null : { names: [n.text], value: t.slice(eq + 1) };
    }
    return null;
  }
}

function dottedName(t: Token[], from: number): { name: string; next: number } | null {
  if (t[from]?.kind !== 'name') return null;
  const parts = [t[from].text];
  let k = from + 1;
  while (t[k]?.text === '.' && t[k + 1]?.kind === 'name') {
    parts.push(t[k + 1].text);
    k += 2;
  }
  return { name: parts.join('.'), next: k };
}

function splitCommas(tokens: Token[]): Token[][] {
  if (tokens.length === 0) return [];
  const level = tokens[0].depth;
  const out: Token[][] = [[]];
  for (const x of tokens) {
    if (x.text === ',' && x.depth === level) out.push([]);
    else out[out.length - 1].push(x);
  }
  return out.filter((item) => item.length > 0);
}

const MAX_DEPTH = 40;

/** Evaluates a module-level right-hand side (a bare tuple included) in `scope` as of `line`. */
export function evaluateAssignment(
  tokens: Token[],
  scope: ModuleScope,
  line: number,
  finder: ModuleFinder,
): { ok: true; value: StaticValue } | { ok: false; reason: string } {
  const r = new Evaluator(finder).rhs(tokens, scope, line, 0);
  if (!r.ok) return r;
  if (r.value !== null && typeof r.value === 'object' && !Array.isArray(r.value)) return { ok: false, reason: 'names a module or class, not a value' };
  return { ok: true, value: r.value as StaticValue };
}

class Evaluator {
  constructor(private readonly finder: ModuleFinder) {}

  rhs(tokens: Token[], scope: ModuleScope, line: number, depth: number): Evaluated {
    if (tokens.length === 0) return { ok: false, reason: 'has no value' };
    const items = splitCommas(tokens);
    const last = tokens[tokens.length - 1];
    if (items.length > 1 || (last.text === ',' && last.depth === tokens[0].depth)) return this.sequence(items, scope, line, depth);
    return this.expr(tokens, scope, line, depth);
  }

  private sequence(items: Token[][], scope: ModuleScope, line: number, depth: number): Evaluated {
    const out: StaticValue[] = [];
    for (const item of items) {
      const v = this.expr(item, scope, line, depth);
      if (!v.ok) return v;
      if (!isStatic(v.value)) return { ok: false, reason: 'lists a module or class, not a value' };
      out.push(v.value);
    }
    return { ok: true, value: out };
  }

  /** expr := atom trailers ('+' atom trailers)* */
  private expr(tokens: Token[], scope: ModuleScope, line: number, depth: number): Evaluated {
    if (depth > MAX_DEPTH) return { ok: false, reason: 'refers to itself through too many names' };
    const level = tokens[0]?.depth ?? 0;
    const terms: Token[][] = [[]];
    for (const x of tokens) {
      if (x.text === '+' && x.depth === level && terms[terms.length - 1].length > 0) terms.push([]);
      else terms[terms.length - 1].push(x);
    }
    let acc: Value | undefined;
    for (const term of terms) {
      const v = this.term(term, scope, line, depth);
      if (!v.ok) return v;
      if (acc === undefined) {
        acc = v.value;
        continue;
      }
      if (typeof acc === 'string' && typeof v.value === 'string') acc = acc + v.value;
      else if (Array.isArray(acc) && Array.isArray(v.value)) acc = [...acc, ...v.value];
      else return { ok: false, reason: `adds values of different kinds (\`${text(tokens)}\`)` };
    }
    return acc === undefined ? { ok: false, reason: 'has no value' } : { ok: true, value: acc };
  }

  private term(tokens: Token[], scope: ModuleScope, line: number, depth: number): Evaluated {
    if (tokens.length === 0) return { ok: false, reason: 'has no value' };
    const computed = (): Evaluated => ({ ok: false, reason: `is computed (\`${text(tokens).slice(0, 60)}\`)` });
    const first = tokens[0];
    let value: Value;
    let k: number;
    if (first.kind === 'string') {
      let s = '';
      k = 0;
      while (tokens[k]?.kind === 'string') {
        const piece = this.stringPiece(tokens[k], scope, line, depth);
        if (!piece.ok) return piece;
        s += piece.value;
        k += 1;
      }
      value = s;
    } else if (first.text === '(' || first.text === '[') {
      // A closing bracket carries the depth inside its brackets.
      const close = tokens.findIndex((x, i) => i > 0 && x.depth === first.depth + 1 && (x.text === ')' || x.text === ']'));
      if (close < 0) return computed();
      const inner = tokens.slice(1, close);
      const items = splitCommas(inner);
      const trailingComma = inner.length > 0 && inner[inner.length - 1].text === ',' && inner[inner.length - 1].depth === inner[0].depth;
      if (first.text === '(' && items.length === 1 && !trailingComma) {
        const v = this.expr(items[0], scope, line, depth);
        if (!v.ok) return v;
        value = v.value;
      } else {
        const v = this.sequence(items, scope, line, depth);
        if (!v.ok) return v;
        value = v.value;
      }
      k = close + 1;
    } else if (first.kind === 'name') {
      if (first.text === 'None') value = null;
      else {
        const v = this.name(first.text, scope, line, depth);
        if (!v.ok) return v;
        value = v.value;
      }
      k = 1;
    } else return computed();
    while (k < tokens.length) {
      if (tokens[k].text === '.' && tokens[k + 1]?.kind === 'name') {
        const v = this.attribute(value, tokens[k + 1].text, depth);
        if (!v.ok) return v;
        value = v.value;
        k += 2;
      } else return computed();
    }
    return { ok: true, value };
  }

  private stringPiece(token: Token, scope: ModuleScope, line: number, depth: number): { ok: true; value: string } | { ok: false; reason: string } {
    if (!token.terminated) return { ok: false, reason: 'has a string with no closing quote' };
    const prefix = token.prefix ?? '';
    if (prefix.includes('b')) return { ok: false, reason: 'is bytes, not a string' };
    if (!prefix.includes('f')) return { ok: true, value: stringValue(scope.parsed.source, token) ?? '' };
    const body = scope.parsed.source.slice(token.bodyStart, token.bodyEnd);
    const raw = prefix.includes('r');
    let out = '';
    let literal = '';
    for (let i = 0; i < body.length;) {
      const c = body[i];
      if ((c === '{' || c === '}') && body[i + 1] === c) {
        literal += c;
        i += 2;
        continue;
      }
      if (c !== '{') {
        literal += c;
        i += 1;
        continue;
      }
      out += raw ? literal : unescapePython(literal);
      literal = '';
      let nest = 0;
      let j = i + 1;
      for (; j < body.length; j += 1) {
        const d = body[j];
        if (d === '[' || d === '(' || d === '{') nest += 1;
        else if (d === ']' || d === ')' || (d === '}' && nest > 0)) nest -= 1;
        else if (d === '}' && nest === 0) break;
      }
      const inner = body.slice(i + 1, j);
      // A conversion other than !s, a format spec or `=` changes the text: leave those to Python.
      const exprText = inner.replace(/!s\s*$/, '');
      if (/[!:]|=\s*$/.test(exprText)) return { ok: false, reason: `formats \`{${inner}}\` in an f-string` };
      const innerParsed = tokenizePython(exprText);
      // Names inside the braces resolve in the enclosing module.
      const v = this.expr(
        innerParsed.tokens,
        { parsed: innerParsed, name: scope.name, isPackage: scope.isPackage, bindings: scope.bindings, home: scope.home ?? scope },
        line,
        depth + 1,
      );
      if (!v.ok) return v;
      if (typeof v.value === 'string') out += v.value;
      else if (v.value === null) out += 'None';
      else return { ok: false, reason: `puts a non-string \`{${inner}}\` in an f-string` };
      i = j + 1;
    }
    out += raw ? literal : unescapePython(literal);
    return { ok: true, value: out };
  }

  private name(n: string, scope: ModuleScope, line: number, depth: number): Evaluated {
    const list = scope.bindings.get(n);
    let binding: Binding | undefined;
    if (list) for (const b of list) if (b.line < line) binding = b;
    if (!binding) return { ok: false, reason: `uses \`${n}\`, which is not a module-level constant${scope.name ? ` of ${scope.name}` : ''}` };
    return this.binding(binding, scope.home ?? scope, depth + 1);
  }

  private binding(b: Binding, scope: ModuleScope, depth: number): Evaluated {
    switch (b.kind) {
      case 'expr':
        return this.rhs(b.tokens, scope, b.line, depth);
      case 'module':
        return this.finder.find(b.module)
          ? { ok: true, value: { ref: 'module', name: b.module } }
          : { ok: false, reason: `imports ${b.module}, which is not a module of the repository` };
      case 'from':
        return this.moduleAttribute(b.module, b.name, depth);
      case 'class':
        return { ok: true, value: { ref: 'class', scope, body: b.body } };
    }
  }

  private attribute(value: Value, attr: string, depth: number): Evaluated {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (value.ref === 'module') return this.moduleAttribute(value.name, attr, depth);
      // A class body's own constants (first level of the body only).
      const level = value.body[0]?.indent ?? 0;
      const own = scopeOfBody(value.body, level);
      const list = own.get(attr);
      if (list && list.length > 0) return this.rhs(list[list.length - 1].tokens, value.scope, Number.MAX_SAFE_INTEGER, depth + 1);
      return { ok: false, reason: `reads \`${attr}\` from a class that does not set it plainly` };
    }
    return { ok: false, reason: `is computed (reads \`.${attr}\` of a value)` };
  }

  private moduleAttribute(module: string, attr: string, depth: number): Evaluated {
    if (depth > MAX_DEPTH) return { ok: false, reason: 'refers to itself through too many names' };
    const scope = this.finder.find(module);
    if (!scope) return { ok: false, reason: `imports ${module}, which is not a module of the repository` };
    const list = scope.bindings.get(attr);
    if (list && list.length > 0) return this.binding(list[list.length - 1], scope, depth + 1);
    const sub = `${module}.${attr}`;
    if (this.finder.find(sub)) return { ok: true, value: { ref: 'module', name: sub } };
    return { ok: false, reason: `uses ${module}.${attr}, which is not a module-level constant of ${module}` };
  }
}

/** Plain `NAME = value` statements of a class body at its first indentation level. */
function scopeOfBody(body: Statement[], level: number): Map<string, { tokens: Token[] }[]> {
  const out = new Map<string, { tokens: Token[] }[]>();
  for (const st of body) {
    if (st.indent !== level) continue;
    const target = assignmentTargets(st.tokens);
    if (!target) continue;
    for (const n of target.names) {
      const list = out.get(n) ?? [];
      list.push({ tokens: target.value });
      out.set(n, list);
    }
  }
  return out;
}

function isStatic(v: Value): v is StaticValue {
  return v === null || typeof v === 'string' || Array.isArray(v);
}

function text(tokens: Token[]): string {
  return tokens.map((t) => t.text).join(' ');
}
