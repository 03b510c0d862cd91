import { parseSpecifiers, satisfies } from './version-specifier';

/**
 * PEP 508 environment markers (`sys_platform != "win32" and python_version >= "3.8"`),
 * parsed once and evaluated against the interpreter's own marker values, as pip does:
 * a version operator compares as a PEP 440 specifier when the value is a version, and as
 * strings otherwise; `extra` compares normalized names.
 */
export type MarkerEnvironment = Record<string, string>;

export type MarkerNode = { kind: 'and' | 'or'; left: MarkerNode; right: MarkerNode } | { kind: 'compare'; left: MarkerValue; op: string; right: MarkerValue };

export type MarkerValue = { variable: string } | { literal: string };

export type MarkerParse = { ok: true; marker: MarkerNode } | { ok: false; message: string };

/** The variables PEP 508 defines, with the legacy dotted spellings pip still accepts. */
const VARIABLES: Record<string, string> = {
  python_version: 'python_version',
  python_full_version: 'python_full_version',
  os_name: 'os_name',
  'os.name': 'os_name',
  sys_platform: 'sys_platform',
  'sys.platform': 'sys_platform',
  platform_release: 'platform_release',
  platform_system: 'platform_system',
  platform_version: 'platform_version',
  platform_machine: 'platform_machine',
  'platform.machine': 'platform_machine',
  platform_python_implementation: 'platform_python_implementation',
  'platform.python_implementation': 'platform_python_implementation',
  python_implementation: 'platform_python_implementation',
  implementation_name: 'implementation_name',
  implementation_version: 'implementation_version',
  extra: 'extra',
  dependency_groups: 'dependency_groups',
  extras: 'extras',
};

type Token = { kind: 'string'; value: string } | { kind: 'word'; value: string } | { kind: 'op'; value: string } | { kind: 'paren'; value: '(' | ')' };

const TOKEN = /\s*(?:("[^"]*"|'[^']*')|(===|==|!=|<=|>=|~=|<|>)|([()])|([A-Za-z_][A-Za-z0-9_.]*))/y;

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) return `unexpected "${text.slice(at).trim().slice(0, 20)}"`;
    at = TOKEN.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'string', value: m[1].slice(1, -1) });
    else if (m[2] !== undefined) tokens.push({ kind: 'op', value: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'paren', value: m[3] as '(' | ')' });
    else tokens.push({ kind: 'word', value: m[4] });
  }
  return tokens;
}

export function parseMarker(text: string): MarkerParse {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { ok: false, message: `marker "${text.trim()}": ${tokens}` };
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(why);
  };
  const value = (): MarkerValue => {
    const t = tokens[i++];
    if (!t) return fail('ends too early');
    if (t.kind === 'string') return { literal: t.value };
    if (t.kind === 'word' && VARIABLES[t.value]) return { variable: VARIABLES[t.value] };
    return fail(`"${t.value}" is not a marker variable or a quoted string`);
  };
  const operator = (): string => {
    const t = tokens[i++];
    if (t?.kind === 'op') return t.value;
    if (t?.kind === 'word' && t.value === 'in') return 'in';
    if (t?.kind === 'word' && t.value === 'not' && tokens[i]?.kind === 'word' && tokens[i].value === 'in') {
      i++;
      return 'not in';
    }
    return fail(`expected a comparison operator${t ? `, found "${t.value}"` : ''}`);
  };
  const atom = (): MarkerNode => {
    if (tokens[i]?.kind === 'paren' && tokens[i].value === '(') {
      i++;
      const inner = or();
      if (!(tokens[i]?.kind === 'paren' && tokens[i].value === ')')) fail('a "(" is not closed');
      i++;
      return inner;
    }
    const left = value();
    const op = operator();
    return { kind: 'compare', left, op, right: value() };
  };
  const and = (): MarkerNode => {
    let node = atom();
    while (tokens[i]?.kind === 'word' && tokens[i].value === 'and') {
      i++;
      node = { kind: 'and', left: node, right: atom() };
    }
    return node;
  };
  const or = (): MarkerNode => {
    let node = and();
    while (tokens[i]?.kind === 'word' && tokens[i].value === 'or') {
      i++;
      node = { kind: 'or', left: node, right: and() };
    }
    return node;
  };
  try {
    const marker = or();
    if (i < tokens.length) fail(`unexpected "${tokens[i].value}"`);
    return { ok: true, marker };
  } catch (e) {
    return { ok: false, message: `marker "${text.trim()}": ${(e as Error).message}` };
  }
}

/** PEP 503 normalization, which `extra` comparisons use. */
export function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

export function evaluateMarker(marker: MarkerNode, environment: MarkerEnvironment): boolean {
  if (marker.kind !== 'compare') {
    return marker.kind === 'and'
      ? evaluateMarker(marker.left, environment) && evaluateMarker(marker.right, environment)
      : evaluateMarker(marker.left, environment) || evaluateMarker(marker.right, environment);
  }
  const isExtra = [marker.left, marker.right].some((side) => 'variable' in side && side.variable === 'extra');
  const resolve = (side: MarkerValue): string => {
    const raw = 'literal' in side ? side.literal : (environment[side.variable] ?? '');
    return isExtra ? normalizeName(raw) : raw;
  };
  return compare(resolve(marker.left), marker.op, resolve(marker.right));
}

function compare(left: string, op: string, right: string): boolean {
  if (op === 'in') return right.includes(left);
  if (op === 'not in') return !right.includes(left);
  // A version operator whose right side is a version compares as a specifier (packaging's _eval_op).
  const specifier = parseSpecifiers(`${op}${right}`);
  if (specifier.ok && op !== '===') return satisfies(left, specifier.specifiers);
  switch (op) {
    case '==':
    case '===':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    default:
      return false;
  }
}
