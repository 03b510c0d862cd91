import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, formatVersion, parseVersion, type Pep440Version } from '../../../shared/prerequisites/pep440-version';
import { parseSpecifiers, satisfies } from '../../../shared/prerequisites/version-specifier';

const version = (text: string): Pep440Version => {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`not a version: ${text}`);
  return parsed;
};
const sat = (installed: string, spec: string): boolean => {
  const parsed = parseSpecifiers(spec);
  if (!parsed.ok) throw new Error(parsed.message);
  return satisfies(installed, parsed.specifiers);
};

/** Arbitrary PEP 440 versions, as structures (printed with formatVersion). */
const versions: fc.Arbitrary<Pep440Version> = fc.record({
  epoch: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 })),
  release: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }),
  pre: fc.option(fc.record({ label: fc.constantFrom('a' as const, 'b' as const, 'rc' as const), number: fc.integer({ min: 0, max: 5 }) }), { nil: null }),
  post: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
  dev: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
  local: fc.constant([] as Array<number | string>),
});

describe('PEP 440 versions', () => {
  it('normalizes the spellings pip accepts', () => {
    expect(formatVersion(version('1.0-alpha-1'))).toBe('1.0a1');
    expect(formatVersion(version('v2.0.0.POST'))).toBe('2.0.0.post0');
    expect(formatVersion(version('1.0-1'))).toBe('1.0.post1');
    expect(formatVersion(version('1.0c2.dev3+Ubuntu-1'))).toBe('1.0rc2.dev3+ubuntu.1');
    expect(parseVersion('not-a-version')).toBeNull();
  });

  it('orders as PEP 440 says', () => {
    const ordered = ['1.0.dev0', '1.0a1.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0+local', '1.0.post1.dev0', '1.0.post1', '1.1', '2!0.1'];
    for (let i = 1; i < ordered.length; i++) expect(compareVersions(version(ordered[i - 1]), version(ordered[i]))).toBe(-1);
    expect(compareVersions(version('1.0'), version('1.0.0'))).toBe(0);
  });

  it('parses back what it prints, and the order is a total order (property)', () => {
    fc.assert(
      fc.property(versions, versions, versions, (a, b, c) => {
        expect(compareVersions(version(formatVersion(a)), a)).toBe(0);
        expect(compareVersions(a, b)).toBe(-compareVersions(b, a));
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('version specifiers', () => {
  it('judges the requirements of a real backend', () => {
    expect(sat('2.1.1', '>=2.0.23')).toBe(true);
    expect(sat('2.0.9', '>=2.0.23')).toBe(false);
    expect(sat('2.13.5', '>=2.0.0,<3.0.0')).toBe(true);
    expect(sat('3.0.0', '>=2.0.0,<3.0.0')).toBe(false);
    expect(sat('0.25.0', '==0.25.0')).toBe(true);
    expect(sat('0.25.1', '==0.25.0')).toBe(false);
  });

  it('keeps PEP 440 special cases', () => {
    expect(sat('1.4.5', '~=1.4.2')).toBe(true);
    expect(sat('1.5.0', '~=1.4.2')).toBe(false);
    expect(sat('2.9', '~=2.2')).toBe(true);
    expect(sat('3.0', '~=2.2')).toBe(false);
    expect(sat('1.1.7', '==1.1.*')).toBe(true);
    expect(sat('1.10', '==1.1.*')).toBe(false);
    expect(sat('1', '==1.0.*')).toBe(true);
    expect(sat('1.0+local', '==1.0')).toBe(true);
    expect(sat('1.0+local', '==1.0+other')).toBe(false);
    expect(sat('3.0rc1', '<3.0')).toBe(false);
    expect(sat('3.0rc1', '<3.0rc2')).toBe(true);
    expect(sat('1.0.post1', '>1.0')).toBe(false);
    expect(sat('1.1', '>1.0')).toBe(true);
    expect(sat('1.0+abc', '>1.0')).toBe(false);
    expect(sat('1.2', '!=1.2.*')).toBe(false);
    expect(sat('anything', '===anything')).toBe(true);
    expect(sat('1.0', '')).toBe(true);
    expect(parseSpecifiers('>=1.*').ok).toBe(false);
    expect(parseSpecifiers('~=1').ok).toBe(false);
    expect(parseSpecifiers('>= 1.0 , < 2').ok).toBe(true);
  });

  it('>= v and == v hold for v itself, != v and < v do not; ~= v implies >= v (property)', () => {
    fc.assert(
      fc.property(versions, versions, (a, b) => {
        const v = formatVersion(a);
        expect(sat(v, `>=${v}`)).toBe(true);
        expect(sat(v, `<=${v}`)).toBe(true);
        expect(sat(v, `==${v}`)).toBe(true);
        expect(sat(v, `!=${v}`)).toBe(false);
        expect(sat(v, `<${v}`)).toBe(false);
        expect(sat(v, `>${v}`)).toBe(false);
        const w = formatVersion(b);
        expect(sat(w, `>=${v}`)).toBe(compareVersions(b, a) >= 0);
        expect(sat(w, `==${v}`)).toBe(compareVersions(b, a) === 0);
        if (a.release.length >= 2 && sat(w, `~=${v}`)) expect(sat(w, `>=${v}`)).toBe(true);
        if (sat(w, `<${v}`)) expect(compareVersions(b, a)).toBe(-1);
        if (sat(w, `>${v}`)) expect(compareVersions(b, a)).toBe(1);
      }),
    );
  });

  it('a release-prefix wildcard matches exactly the versions whose padded release starts with it (property)', () => {
    fc.assert(
      fc.property(versions, fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 3 }), (a, prefix) => {
        const release = [...a.release];
        while (release.length < prefix.length) release.push(0);
        const expected = a.epoch === 0 && prefix.every((part, i) => release[i] === part);
        expect(sat(formatVersion(a), `==${prefix.join('.')}.*`)).toBe(expected);
      }),
    );
  });
});
