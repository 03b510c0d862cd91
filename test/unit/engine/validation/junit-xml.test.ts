import * as fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { parseJUnitXml, parseXml } from '../../../../electron/engine/gates/validation/junit-xml';

/** What pytest 9 writes for one passing, failing, erroring and skipped test (trimmed). */
const PYTEST_REPORT = `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4" time="0.039" timestamp="2026-11-25T14:22:37.748523+00:00" hostname="vm"><testcase classname="backend.tests.test_sample" name="test_passes" time="0.001" /><testcase classname="backend.tests.test_sample" name="test_fails" time="0.002"><failure message="assert '&lt;tag&gt; &amp; &quot;quo...\\'apos\\' café' == 'other'&#10;  &#10;  - other">def test_fails():
        s = "&lt;tag&gt; &amp; \\"quoted\\" 'apos' café"
&gt;       assert s == "other"
E       assert '&lt;tag&gt; &amp; "quo...\\'apos\\' café' == 'other'

backend/tests/test_sample.py:12: AssertionError</failure></testcase><testcase classname="backend.tests.test_sample" name="test_errors" time="0.001"><error message="failed on setup with &quot;RuntimeError: asyncio.run() cannot be called from a running event loop&quot;">@pytest.fixture
    def broken():
&gt;       raise RuntimeError("asyncio.run() cannot be called from a running event loop")
E       RuntimeError: asyncio.run() cannot be called from a running event loop

backend/tests/test_sample.py:5: RuntimeError</error></testcase><testcase classname="backend.tests.test_sample" name="test_skipped" time="0.000"><skipped type="pytest.skip" message="not on this machine">/tmp/x/backend/tests/test_sample.py:17: not on this machine</skipped></testcase></testsuite></testsuites>`;

describe('parseJUnitXml', () => {
  it('reads pytest\u2019s report into suites and cases', () => {
    const result = parseJUnitXml(PYTEST_REPORT);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [suite] = result.value.suites;
    expect(result.value.suites).toHaveLength(1);
    expect(suite).toMatchObject({ name: 'pytest', tests: 4, failures: 1, errors: 1, skipped: 1, durationMs: 39 });
    expect(suite.cases.map((testCase) => [testCase.name, testCase.status, testCase.durationMs])).toEqual([
      ['test_passes', 'passed', 1],
      ['test_fails', 'failed', 2],
      ['test_errors', 'error', 1],
      ['test_skipped', 'skipped', 0],
    ]);
    const [passed, failed, errored, skipped] = suite.cases;
    expect(passed).toEqual({ name: 'test_passes', classname: 'backend.tests.test_sample', status: 'passed', durationMs: 1 });
    expect(failed.message).toBe(`assert '<tag> & "quo...\\'apos\\' café' == 'other'\n  \n  - other`);
    expect(failed.text).toContain(`s = "<tag> & \\"quoted\\" 'apos' café"`);
    expect(failed.text).toContain('>       assert s == "other"');
    expect(errored.message).toBe('failed on setup with "RuntimeError: asyncio.run() cannot be called from a running event loop"');
    expect(errored.text).toContain('E       RuntimeError: asyncio.run() cannot be called from a running event loop');
    expect(skipped.message).toBe('not on this machine');
  });

  it('decodes the five entities, decimal and hex character references, and CDATA as is', () => {
    const xml =
      '<testsuite name="s &amp; t"><testcase name="a&lt;b&gt;c" classname="k" file="tests/t&apos;s.py" time="1.5">' +
      '<failure message="&quot;x&quot; &#233;&#xE9;&#x1F418;">before <![CDATA[raw <not> &amp; ]] text]]> after &amp; &#60;</failure>' +
      '</testcase></testsuite>';
    const result = parseJUnitXml(xml);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [suite] = result.value.suites;
    expect(suite.name).toBe('s & t');
    expect(suite.cases[0]).toEqual({
      name: 'a<b>c',
      classname: 'k',
      file: "tests/t's.py",
      status: 'failed',
      durationMs: 1500,
      message: '"x" éé🐘',
      text: 'before raw <not> &amp; ]] text after & <',
    });
  });

  it('normalises literal newlines in attributes but keeps &#10;, and CRLF in text', () => {
    const result = parseXml('<a m="one\ntwo&#10;three">line 1\r\nline 2\rline 3</a>');
    expect(result.ok && result.value.attributes.m).toBe('one two\nthree');
    expect(result.ok && result.value.text).toBe('line 1\nline 2\nline 3');
  });

  it('accepts a bare <testsuite> root, comments, a DOCTYPE, a BOM and ignores system-out and properties', () => {
    const xml =
      '\ufeff<?xml version="1.0"?>\n<!DOCTYPE testsuite>\n<!-- written by hand -->\n' +
      "<testsuite name='solo' time='0.25'>\n  <properties><property name='k' value='v'/></properties>\n" +
      "  <testcase name='t1' classname='c' time='0.25'><system-out>noise</system-out></testcase>\n</testsuite>\n<!-- end -->\n";
    const result = parseJUnitXml(xml);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.suites[0]).toMatchObject({ name: 'solo', tests: 1, durationMs: 250 });
    expect(result.value.suites[0].cases[0]).toEqual({ name: 't1', classname: 'c', status: 'passed', durationMs: 250 });
  });

  it('counts a failure with a teardown error as failed and keeps both texts', () => {
    const xml =
      '<testsuites><testsuite name="p"><testcase name="t" classname="c" time="0">' +
      '<failure message="boom">call trace</failure><error message="teardown">teardown trace</error></testcase></testsuite></testsuites>';
    const result = parseJUnitXml(xml);
    expect(result.ok && result.value.suites[0].cases[0]).toMatchObject({ status: 'failed', message: 'boom', text: 'call trace\n\nteardown trace' });
  });

  it('reads an empty report (no tests collected)', () => {
    const result = parseJUnitXml(
      '<testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="0" time="0.004"/></testsuites>',
    );
    expect(result.ok && result.value.suites).toEqual([{ name: 'pytest', tests: 0, failures: 0, errors: 0, skipped: 0, durationMs: 4, cases: [] }]);
  });

  it.each([
    ['', 'expected the root element'],
    ['<testsuites><testsuite></testsuites>', '</testsuites> closes <testsuite>'],
    ['<testsuites>', 'never closed'],
    ['<a b="1" b="2"/>', 'duplicate attribute'],
    ['<a>x &nbsp; y</a>', 'unknown entity &nbsp;'],
    ['<a>fish & chips</a>', '"&" not followed by a reference'],
    ['<a>&#xZZ;</a>', 'invalid character reference'],
    ['<a>&#1114112;</a>', 'invalid character reference'],
    ['<a b=1/>', 'quoted attribute value'],
    ['<a b="<"/>', '"<" inside an attribute value'],
    ['<a><![CDATA[open</a>', 'unterminated CDATA'],
    ['<a/><b/>', 'content after the root element'],
    ['<a><!-- open </a>', 'unterminated comment'],
  ])('rejects malformed XML %j with a Result error', (xml, message) => {
    const result = parseJUnitXml(xml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('subprocess-failed');
    expect(result.error.message).toContain(message);
    expect(result.error.message).toMatch(/line \d+, column \d+/);
  });

  it('names line and column of the problem', () => {
    const result = parseXml('<a>\n  <b>\n  </c>\n</a>');
    expect(!result.ok && result.error.message).toContain('line 3, column 3');
  });

  it('rejects a document that is not JUnit', () => {
    const result = parseJUnitXml('<html><body/></html>');
    expect(!result.ok && result.error.message).toContain('<html>');
  });
});

describe('parseXml properties', () => {
  /** How an XML writer escapes text; \r as a reference so line-end normalisation keeps it. */
  const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
  const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
  // Any Unicode text without NUL (which XML cannot carry at all).
  const anyText = fc.string({ unit: 'binary', maxLength: 60 }).map((text) => text.replace(/\0/g, ''));

  it('reads back whatever was escaped into attributes, text and CDATA', () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, (attribute, text, cdata) => {
        const safeCdata = cdata.replace(/]]>/g, '').replace(/\r/g, '');
        const xml = `<testcase name="${escapeAttribute(attribute)}">${escapeText(text)}<![CDATA[${safeCdata}]]></testcase>`;
        const result = parseXml(xml);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.value.attributes.name).toBe(attribute);
        expect(result.value.text).toBe(text + safeCdata);
      }),
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('<', '>', '/', '&', ';', '#', 'x', '1', '"', "'", '=', ' ', 'a', '!', '[', ']', '-', '?'), maxLength: 40 }),
        (xml) => {
          const result = parseJUnitXml(xml);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
    );
  });
});
