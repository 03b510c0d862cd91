import { parseDocument } from 'yaml';

/**
 * GitHub Actions workflow files as data: the YAML read into plain values, with what
 * GitHub itself resolves before a step runs (the matrix, `${{ matrix.x }}`, `${{ env.X }}`,
 * `defaults.run.working-directory`). The parity matrix and R5's suite environments both
 * read workflows through it; what a `run:` script does is shell-commands' and theirs.
 */

/** One workflow file's text, as read from the repository. */
export interface WorkflowFile {
  /** Relative to the repository, forward slashes (".github/workflows/ci.yml"). */
  path: string;
  text: string;
}

/** One matrix combination: the value of each matrix key. */
export type Combo = Record<string, Json>;

/** More combinations than this are not read: the first ones say what CI does, the rest repeat it. */
const MAX_COMBOS = 16;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The workflow as plain values, or null with a note naming the file when it is not valid YAML or has no jobs. */
export function parseWorkflow(file: WorkflowFile, notes: string[]): JsonObject | null {
  let value: unknown;
  try {
    const doc = parseDocument(file.text, { prettyErrors: true });
    if (doc.errors.length > 0) {
      const first = doc.errors[0];
      const line = first.linePos?.[0]?.line;
      notes.push(
        `${file.path} is not valid YAML${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}. The file was ignored.`,
      );
      return null;
    }
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    notes.push(`${file.path} could not be parsed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}. The file was ignored.`);
    return null;
  }
  if (!isObject(value) || !isObject(value.jobs)) {
    notes.push(`${file.path} has no jobs; ignored.`);
    return null;
  }
  return value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function scalar(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function envOf(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    const text = scalar(raw);
    if (text !== null) out[key] = text;
  }
  return out;
}

/** GitHub's matrix: the product of the lists, minus `exclude`, plus or extended by `include`. */
export function matrixCombos(matrix: Json | undefined, where: string, notes: string[]): Combo[] {
  if (matrix === undefined || matrix === null) return [{}];
  if (!isObject(matrix)) {
    notes.push(`${where} builds its matrix from an expression (${scalar(matrix) ?? 'not a map'}); matrix values are not resolved.`);
    return [{}];
  }
  let combos: Combo[] = [{}];
  const keys = Object.keys(matrix).filter((k) => k !== 'include' && k !== 'exclude');
  for (const key of keys) {
    const raw = matrix[key];
    if (typeof raw === 'string' && raw.includes('${{')) {
      notes.push(`${where}: matrix.${key} is an expression (${raw}); not resolved.`);
    }
    const values = Array.isArray(raw) ? raw : [raw];
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  }
  const matches = (combo: Combo, entry: JsonObject, only?: string[]) =>
    Object.entries(entry)
      .filter(([k]) => !only || only.includes(k))
      .every(([k, v]) => JSON.stringify(combo[k]) === JSON.stringify(v));
  if (Array.isArray(matrix.exclude)) {
    for (const entry of matrix.exclude) if (isObject(entry)) combos = combos.filter((combo) => !matches(combo, entry));
  }
  if (keys.length === 0) combos = [];
  if (Array.isArray(matrix.include)) {
    for (const entry of matrix.include) {
      if (!isObject(entry)) continue;
      const extended = combos.filter((combo) => keys.length > 0 && matches(combo, entry, keys));
      if (extended.length > 0) for (const combo of extended) Object.assign(combo, entry);
      else combos.push({ ...entry });
    }
  }
  if (combos.length === 0) combos = [{}];
  if (combos.length > MAX_COMBOS) {
    notes.push(`${where} has ${combos.length} matrix combinations; the first ${MAX_COMBOS} were read.`);
    combos = combos.slice(0, MAX_COMBOS);
  }
  return combos;
}

/** `${{ matrix.x }}` and `${{ env.X }}` resolved; any other expression is left as written. */
export function resolveExpressions(text: string, combo: Combo, env: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (whole, expression: string) => {
    const matrixRef = /^matrix\.([\w-]+(?:\.[\w-]+)*)$/.exec(expression);
    if (matrixRef) {
      let value: Json | undefined = combo;
      for (const part of matrixRef[1].split('.')) value = isObject(value) ? value[part] : undefined;
      const text = scalar(value);
      return text ?? whole;
    }
    const envRef = /^env\.(\w+)$/.exec(expression);
    if (envRef && env[envRef[1]] !== undefined) return env[envRef[1]];
    return whole;
  });
}

export function workingDirectoryOf(defaults: Json | undefined): string | null {
  if (!isObject(defaults) || !isObject(defaults.run)) return null;
  return scalar(defaults.run['working-directory']);
}
