import { baseVersion, compareVersions, isPrerelease, parseVersion, publicVersion, type Pep440Version } from './pep440-version';

/**
 * PEP 440 version specifiers (">=2.0,<3", "~=1.4.2", "==1.*"), judged as pip judges
 * an installed distribution: pre-releases are accepted (pip check does), and the
 * exclusive comparisons keep PEP 440's special cases for pre-, post- and local releases.
 */
export type SpecifierOperator = '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';

export interface Specifier {
  operator: SpecifierOperator;
  /** As written after the operator ("1.4.*" keeps its wildcard). */
  version: string;
}

export type SpecifierParse = { ok: true; specifiers: Specifier[] } | { ok: false; message: string };

const CLAUSE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;]+)\s*$/;

/** A comma-separated specifier set; the empty string means "any version". */
export function parseSpecifiers(text: string): SpecifierParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, specifiers: [] };
  const specifiers: Specifier[] = [];
  for (const clause of trimmed.split(',')) {
    const m = CLAUSE.exec(clause);
    if (!m) return { ok: false, message: `"${clause.trim()}" is not a version specifier` };
    const operator = m[1] as SpecifierOperator;
    const version = m[2];
    const wildcard = version.endsWith('.*');
    if (operator !== '===') {
      const parsed = parseVersion(wildcard ? version.slice(0, -2) : version);
      if (!parsed) return { ok: false, message: `"${version}" is not a PEP 440 version` };
      if (wildcard && operator !== '==' && operator !== '!=') return { ok: false, message: `${operator} does not take a wildcard ("${version}")` };
      if (operator === '~=' && parsed.release.length < 2) return { ok: false, message: `~= needs at least two release segments ("${version}")` };
    }
    specifiers.push({ operator, version });
  }
  return { ok: true, specifiers };
}

/** "==" / "!=" / "~=" spelled back, for messages. */
export function formatSpecifiers(specifiers: Specifier[]): string {
  return specifiers.map((s) => `${s.operator}${s.version}`).join(',');
}

/** Whether `installed` (as its distribution reports it) satisfies every specifier. */
export function satisfies(installed: string, specifiers: Specifier[]): boolean {
  if (specifiers.length === 0) return true;
  const version = parseVersion(installed);
  return specifiers.every((spec) =>
    version ? matches(version, spec) : spec.operator === '===' && spec.version.toLowerCase() === installed.trim().toLowerCase(),
  );
}

function matches(candidate: Pep440Version, spec: Specifier): boolean {
  if (spec.operator === '===') return false;
  const wildcard = spec.version.endsWith('.*');
  const target = parseVersion(wildcard ? spec.version.slice(0, -2) : spec.version) as Pep440Version;
  switch (spec.operator) {
    case '==':
      return wildcard ? prefixMatch(candidate, target) : equalTo(candidate, target);
    case '!=':
      return !(wildcard ? prefixMatch(candidate, target) : equalTo(candidate, target));
    case '~=': {
      const prefix: Pep440Version = { epoch: target.epoch, release: target.release.slice(0, -1), pre: null, post: null, dev: null, local: [] };
      return compareVersions(publicVersion(candidate), target) >= 0 && prefixMatch(candidate, prefix);
    }
    case '<=':
      return compareVersions(publicVersion(candidate), target) <= 0;
    case '>=':
      return compareVersions(publicVersion(candidate), target) >= 0;
    case '<':
      if (compareVersions(candidate, target) >= 0) return false;
      // <3.0 excludes 3.0rc1: a pre-release of the bound is not "less than" it unless the bound is itself one.
      return !(!isPrerelease(target) && isPrerelease(candidate) && compareVersions(baseVersion(candidate), baseVersion(target)) === 0);
    case '>':
      if (compareVersions(candidate, target) <= 0) return false;
      // >1.0 excludes 1.0.post1 (unless the bound is a post-release) and 1.0+local.
      if (target.post === null && candidate.post !== null && compareVersions(baseVersion(candidate), baseVersion(target)) === 0) return false;
      return !(candidate.local.length > 0 && compareVersions(publicVersion(candidate), target) === 0);
  }
}

/** "==1.0" ignores the candidate's local part unless the specifier names one. */
function equalTo(candidate: Pep440Version, target: Pep440Version): boolean {
  return compareVersions(target.local.length ? candidate : publicVersion(candidate), target) === 0;
}

/**
 * "==1.4.*": the candidate's parts (release segments, then pre/post/dev), its release padded
 * with zeros to the prefix's length, cut to the prefix's number of parts, equal the prefix's
 * (packaging's _version_split and _pad_version).
 */
function prefixMatch(candidate: Pep440Version, prefix: Pep440Version): boolean {
  if (candidate.epoch !== prefix.epoch) return false;
  const want = versionParts(prefix);
  const release = [...candidate.release];
  while (release.length < prefix.release.length) release.push(0);
  const have = versionParts({ ...candidate, release }).slice(0, want.length);
  return have.length === want.length && want.every((part, i) => part === have[i]);
}

function versionParts(v: Pep440Version): string[] {
  const parts = v.release.map(String);
  if (v.pre) parts.push(`${v.pre.label}${v.pre.number}`);
  if (v.post !== null) parts.push(`post${v.post}`);
  if (v.dev !== null) parts.push(`dev${v.dev}`);
  return parts;
}
