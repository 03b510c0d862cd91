import { normalizeName, parseMarker, type MarkerNode } from './pep508-marker';
import { parseSpecifiers, type Specifier } from './version-specifier';

/**
 * A pip requirements file, line by line (PEP 508 requirements, `-r` includes, comments,
 * continuations). Options pip alone understands (`--index-url`, `-e`, hashes) are skipped:
 * they say where to get a package, not which one the code needs.
 */
export interface Requirement {
  /** As written ("uvicorn"). */
  name: string;
  /** PEP 503 normalized ("python-dotenv"), the key installed distributions are matched by. */
  key: string;
  extras: string[];
  specifiers: Specifier[];
  /** The marker, parsed; null when the line has none. */
  marker: MarkerNode | null;
  /** The requirement as written, without comment, for messages and pip commands. */
  text: string;
  /** 1-based line in its file. */
  line: number;
}

export interface RequirementsFile {
  requirements: Requirement[];
  /** Files named by `-r` / `--requirement`, as written (relative to this file's folder). */
  includes: string[];
  /** Lines that could not be read, with why. */
  problems: Array<{ line: number; message: string }>;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*/;

export function parseRequirementsFile(text: string): RequirementsFile {
  const out: RequirementsFile = { requirements: [], includes: [], problems: [] };
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const first = index + 1;
    let line = lines[index];
    // A backslash at the end joins the next line (pip's join_lines).
    while (/\\$/.test(line) && index + 1 < lines.length) line = line.slice(0, -1) + lines[++index];
    const content = line.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') continue;
    if (content.startsWith('-')) {
      const include = /^(?:-r|--requirement)(?:\s*=\s*|\s+)?(\S+)/.exec(content);
      if (include) out.includes.push(include[1]);
      continue;
    }
    const parsed = parseRequirement(content, first);
    if (parsed && 'message' in parsed) out.problems.push({ line: first, message: parsed.message });
    else if (parsed) out.requirements.push(parsed);
  }
  return out;
}

/** One PEP 508 requirement; null for a bare URL or path (nothing to compare by name). */
export function parseRequirement(content: string, line = 1): Requirement | { message: string } | null {
  const text = content.trim();
  const direct = /^[A-Za-z0-9._-]+\s*(?:\[[^\]]*\])?\s*@/.test(text);
  if (!direct && (/^(?:[a-z]+\+)?[a-z]+:\/\//i.test(text) || /^[./\\]/.test(text) || /\.(?:whl|zip|tar\.gz)$/i.test(text))) return null;
  const m = NAME.exec(text);
  if (!m) return { message: `"${text}" is not a requirement` };
  const name = m[1];
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map(normalizeName);
  let rest = text.slice(m[0].length);
  const semicolon = rest.indexOf(';');
  const markerText = semicolon >= 0 ? rest.slice(semicolon + 1) : '';
  rest = (semicolon >= 0 ? rest.slice(0, semicolon) : rest).trim();
  let specifiers: Specifier[] = [];
  if (rest.startsWith('@')) {
    // "name @ url": pinned to a location, not a version.
    specifiers = [];
  } else {
    const inner = rest.startsWith('(') && rest.endsWith(')') ? rest.slice(1, -1) : rest;
    const spec = parseSpecifiers(inner);
    if (!spec.ok) return { message: `${name}: ${spec.message}` };
    specifiers = spec.specifiers;
  }
  let marker: MarkerNode | null = null;
  if (markerText.trim()) {
    const parsed = parseMarker(markerText);
    if (!parsed.ok) return { message: `${name}: ${parsed.message}` };
    marker = parsed.marker;
  }
  return { name, key: normalizeName(name), extras, specifiers, marker, text: text.replace(/\s*;\s*/, '; '), line };
}
