/**
 * PEP 440 versions: parsed, normalized and ordered as pip (the `packaging` library)
 * orders them, so "installed 2.0.23, wanted >=2.0.9" is judged the way pip would.
 */
export interface Pep440Version {
  epoch: number;
  /** Release segments as written (trailing zeros kept: they matter for `==1.0.*` and `~=`). */
  release: number[];
  pre: { label: 'a' | 'b' | 'rc'; number: number } | null;
  post: number | null;
  dev: number | null;
  /** Local segments ("ubuntu", 1), lower-cased; empty when there is none. */
  local: Array<number | string>;
}

/** PEP 440's own regular expression (Appendix B), anchored, case-insensitive. */
const VERSION =
  /^\s*v?(?:(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:(?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d+)?))?(?:[-_.]?(dev)[-_.]?(\d+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

const PRE_LABELS: Record<string, 'a' | 'b' | 'rc'> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', preview: 'rc', pre: 'rc', c: 'rc', rc: 'rc' };

/** The version, or null when the text is not a PEP 440 version (pip then treats it as legacy and never matches a specifier). */
export function parseVersion(text: string): Pep440Version | null {
  const m = VERSION.exec(text);
  if (!m) return null;
  const [, epoch, release, preLabel, preNumber, implicitPost, postLabel, postNumber, devLabel, devNumber, local] = m;
  return {
    epoch: epoch ? Number(epoch) : 0,
    release: release.split('.').map(Number),
    pre: preLabel ? { label: PRE_LABELS[preLabel.toLowerCase()], number: preNumber ? Number(preNumber) : 0 } : null,
    post: implicitPost !== undefined ? Number(implicitPost) : postLabel ? (postNumber ? Number(postNumber) : 0) : null,
    dev: devLabel ? (devNumber ? Number(devNumber) : 0) : null,
    local: local
      ? local
          .toLowerCase()
          .split(/[-_.]/)
          .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
      : [],
  };
}

/** The normalized spelling ("1.0rc1.post2.dev3+ubuntu.1"). */
export function formatVersion(v: Pep440Version): string {
  let out = v.epoch ? `${v.epoch}!` : '';
  out += v.release.join('.');
  if (v.pre) out += `${v.pre.label}${v.pre.number}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local.length) out += `+${v.local.join('.')}`;
  return out;
}

/** The version without its local part ("public" in PEP 440). */
export function publicVersion(v: Pep440Version): Pep440Version {
  return { ...v, local: [] };
}

/** The release alone, with epoch ("base version" in PEP 440). */
export function baseVersion(v: Pep440Version): Pep440Version {
  return { epoch: v.epoch, release: v.release, pre: null, post: null, dev: null, local: [] };
}

export function isPrerelease(v: Pep440Version): boolean {
  return v.pre !== null || v.dev !== null;
}

const PRE_RANK: Record<'a' | 'b' | 'rc', number> = { a: 0, b: 1, rc: 2 };

/** -1, 0 or 1, in PEP 440 order (packaging's _cmpkey). */
export function compareVersions(a: Pep440Version, b: Pep440Version): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  const release = compareReleases(a.release, b.release);
  if (release !== 0) return release;
  const pre = comparePhase(preKey(a), preKey(b));
  if (pre !== 0) return pre;
  const post = comparePhase(a.post === null ? [-Infinity] : [a.post], b.post === null ? [-Infinity] : [b.post]);
  if (post !== 0) return post;
  const dev = comparePhase(a.dev === null ? [Infinity] : [a.dev], b.dev === null ? [Infinity] : [b.dev]);
  if (dev !== 0) return dev;
  return compareLocal(a.local, b.local);
}

/** Trailing zeros do not count: 1.0 == 1.0.0. */
function compareReleases(a: number[], b: number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** A dev release of a final (1.0.dev1) sorts before its pre-releases; a final sorts after them. */
function preKey(v: Pep440Version): number[] {
  if (v.pre) return [PRE_RANK[v.pre.label], v.pre.number];
  if (v.post === null && v.dev !== null) return [-Infinity];
  return [Infinity];
}

function comparePhase(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? -Infinity;
    const y = b[i] ?? -Infinity;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** No local part sorts first; numbers sort after strings; a longer local sorts after its prefix. */
function compareLocal(a: Array<number | string>, b: Array<number | string>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return x < y ? -1 : 1;
    } else if (typeof x === 'string' && typeof y === 'string') {
      if (x !== y) return x < y ? -1 : 1;
    } else {
      return typeof x === 'number' ? 1 : -1;
    }
  }
  return 0;
}
