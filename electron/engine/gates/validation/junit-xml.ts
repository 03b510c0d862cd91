import { appError, err, ok, type Result } from '../../../../shared/errors/app-error';

/**
 * pytest's JUnit XML report, read into the per-test list Gate R5 shows.
 *
 * A small reader of our own (no XML dependency): pytest's output is regular —
 * elements, attributes, text, CDATA and the five predefined entities plus
 * character references — so this handles exactly that and rejects anything
 * malformed with a Result error instead of throwing.
 */
export type TestStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface JUnitCase {
  name: string;
  classname: string;
  file?: string;
  status: TestStatus;
  durationMs: number;
  /** The failure/error/skip element's message attribute ("assert 1 == 2"). */
  message?: string;
  /** Its text: the traceback, or the skip location. */
  text?: string;
}

export interface JUnitSuite {
  name: string;
  /** Counted from the cases, so they always agree with the list. */
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  durationMs: number;
  cases: JUnitCase[];
}

export interface ParsedJUnit {
  suites: JUnitSuite[];
}

export function parseJUnitXml(xml: string): Result<ParsedJUnit> {
  const document = parseXml(xml);
  if (!document.ok) return document;
  const root = document.value;
  const suiteElements =
    root.name === 'testsuites' ? root.children.filter((child) => child.name === 'testsuite') : root.name === 'testsuite' ? [root] : undefined;
  if (!suiteElements) {
    return err(appError('subprocess-failed', `pytest's JUnit report has an unexpected root element <${root.name}> (expected <testsuites> or <testsuite>).`));
  }
  return ok({ suites: suiteElements.map(readSuite) });
}

function readSuite(element: XmlElement): JUnitSuite {
  // Nested <testsuite> (other JUnit writers) is flattened into its parent.
  const caseElements: XmlElement[] = [];
  const collect = (parent: XmlElement): void => {
    for (const child of parent.children) {
      if (child.name === 'testcase') caseElements.push(child);
      else if (child.name === 'testsuite') collect(child);
    }
  };
  collect(element);
  const cases = caseElements.map(readCase);
  const count = (status: TestStatus) => cases.filter((testCase) => testCase.status === status).length;
  const caseTime = cases.reduce((sum, testCase) => sum + testCase.durationMs, 0);
  return {
    name: element.attributes.name ?? '',
    tests: cases.length,
    failures: count('failed'),
    errors: count('error'),
    skipped: count('skipped'),
    durationMs: element.attributes.time !== undefined ? seconds(element.attributes.time) : caseTime,
    cases,
  };
}

function readCase(element: XmlElement): JUnitCase {
  const failure = element.children.find((child) => child.name === 'failure');
  const error = element.children.find((child) => child.name === 'error');
  const skipped = element.children.find((child) => child.name === 'skipped');
  // A test that failed and then errored in teardown counts as failed (pytest's own summary line does too);
  // the texts of both are kept.
  const status: TestStatus = failure ? 'failed' : error ? 'error' : skipped ? 'skipped' : 'passed';
  const problems = [failure, error].filter((child): child is XmlElement => child !== undefined);
  const reported = problems.length ? problems : skipped ? [skipped] : [];
  const message = reported.map((child) => child.attributes.message).find((text) => text !== undefined && text !== '');
  const text = reported
    .map((child) => child.text.trim())
    .filter(Boolean)
    .join('\n\n');
  return {
    name: element.attributes.name ?? '',
    classname: element.attributes.classname ?? '',
    ...(element.attributes.file ? { file: element.attributes.file } : {}),
    status,
    durationMs: seconds(element.attributes.time),
    ...(message !== undefined ? { message } : {}),
    ...(text ? { text } : {}),
  };
}

function seconds(value: string | undefined): number {
  const parsed = value === undefined ? NaN : Number.parseFloat(value);
  return Number.isFinite(parsed) && parsed >= 0 ? Math.round(parsed * 1000) : 0;
}

// ---------------------------------------------------------------------------
// A minimal, strict XML reader
// ---------------------------------------------------------------------------

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text and CDATA, concatenated (not its children's). */
  text: string;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/** The document's root element, or a Result error naming line and column. */
export function parseXml(source: string): Result<XmlElement> {
  // XML end-of-line handling: \r\n and lone \r are read as \n.
  const xml = source.replace(/\r\n?/g, '\n');
  try {
    return ok(new XmlReader(xml).document());
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    const before = xml.slice(0, error.index);
    const line = before.split('\n').length;
    const column = error.index - before.lastIndexOf('\n');
    return err(
      appError('subprocess-failed', `pytest's JUnit report is not valid XML: ${error.message} (line ${line}, column ${column}).`, {
        remediation: 'Run the suite again; if it repeats, run pytest by hand with --junitxml and look at the file.',
      }),
    );
  }
}

class XmlReader {
  private at = 0;

  constructor(private readonly xml: string) {}

  document(): XmlElement {
    if (this.xml.charCodeAt(0) === 0xfeff) this.at = 1;
    this.misc();
    if (!this.xml.startsWith('<', this.at) || this.xml.startsWith('</', this.at)) this.fail('expected the root element');
    const root = this.element();
    this.misc();
    if (this.at < this.xml.length) this.fail('content after the root element');
    return root;
  }

  /** Whitespace, the XML declaration, processing instructions, comments and a DOCTYPE. */
  private misc(): void {
    for (;;) {
      this.skipSpace();
      if (this.xml.startsWith('<?', this.at)) this.skipPast('?>', 'unterminated processing instruction');
      else if (this.xml.startsWith('<!--', this.at)) this.skipPast('-->', 'unterminated comment');
      else if (this.xml.startsWith('<!DOCTYPE', this.at)) this.doctype();
      else return;
    }
  }

  private doctype(): void {
    const bracket = this.xml.indexOf('[', this.at);
    const close = this.xml.indexOf('>', this.at);
    if (close < 0) this.fail('unterminated DOCTYPE');
    if (bracket >= 0 && bracket < close) this.skipPast(']>', 'unterminated DOCTYPE');
    else this.at = close + 1;
  }

  private element(): XmlElement {
    const start = this.at;
    this.at += 1; // '<'
    const name = this.name('element name');
    const attributes: Record<string, string> = {};
    for (;;) {
      const spaced = this.skipSpace();
      if (this.xml.startsWith('/>', this.at)) {
        this.at += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (this.xml.startsWith('>', this.at)) {
        this.at += 1;
        break;
      }
      if (this.at >= this.xml.length) this.fail(`unterminated start tag <${name}>`, start);
      if (!spaced) this.fail(`expected whitespace before an attribute in <${name}>`);
      const attribute = this.name('attribute name');
      this.skipSpace();
      if (this.xml[this.at] !== '=') this.fail(`expected "=" after attribute ${attribute}`);
      this.at += 1;
      this.skipSpace();
      if (Object.hasOwn(attributes, attribute)) this.fail(`duplicate attribute ${attribute}`);
      attributes[attribute] = this.attributeValue();
    }

    const element: XmlElement = { name, attributes, children: [], text: '' };
    for (;;) {
      if (this.at >= this.xml.length) this.fail(`<${name}> is never closed`, start);
      if (this.xml.startsWith('</', this.at)) {
        const tagStart = this.at;
        this.at += 2;
        const closing = this.name('closing tag name');
        if (closing !== name) this.fail(`</${closing}> closes <${name}>`, tagStart);
        this.skipSpace();
        if (this.xml[this.at] !== '>') this.fail(`expected ">" after </${closing}`);
        this.at += 1;
        return element;
      }
      if (this.xml.startsWith('<![CDATA[', this.at)) {
        const end = this.xml.indexOf(']]>', this.at + 9);
        if (end < 0) this.fail('unterminated CDATA section');
        element.text += this.xml.slice(this.at + 9, end);
        this.at = end + 3;
      } else if (this.xml.startsWith('<!--', this.at)) {
        this.skipPast('-->', 'unterminated comment');
      } else if (this.xml.startsWith('<?', this.at)) {
        this.skipPast('?>', 'unterminated processing instruction');
      } else if (this.xml[this.at] === '<') {
        element.children.push(this.element());
      } else {
        const end = this.xml.indexOf('<', this.at);
        const raw = this.xml.slice(this.at, end < 0 ? this.xml.length : end);
        element.text += this.decode(raw, this.at);
        this.at += raw.length;
      }
    }
  }

  private attributeValue(): string {
    const quote = this.xml[this.at];
    if (quote !== '"' && quote !== "'") this.fail('expected a quoted attribute value');
    const end = this.xml.indexOf(quote, this.at + 1);
    if (end < 0) this.fail('unterminated attribute value');
    const raw = this.xml.slice(this.at + 1, end);
    if (raw.includes('<')) this.fail('"<" inside an attribute value', this.at + 1 + raw.indexOf('<'));
    // Attribute-value normalization: literal tabs and newlines become spaces; &#10; stays a newline.
    const value = this.decode(raw.replace(/[\t\n]/g, ' '), this.at + 1);
    this.at = end + 1;
    return value;
  }

  /** Replaces entity and character references. */
  private decode(raw: string, offset: number): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&\s<]*);?/g, (match, body: string, index: number) => {
      if (!match.endsWith(';')) this.fail('"&" not followed by a reference (write &amp;)', offset + index);
      if (body.startsWith('#')) {
        const hex = body[1] === 'x' || body[1] === 'X';
        const digits = body.slice(hex ? 2 : 1);
        const code = /^[0-9a-fA-F]+$/.test(digits) && (hex || /^[0-9]+$/.test(digits)) ? Number.parseInt(digits, hex ? 16 : 10) : NaN;
        if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
          this.fail(`invalid character reference &${body};`, offset + index);
        }
        return String.fromCodePoint(code);
      }
      const replacement = PREDEFINED[body];
      if (replacement === undefined) this.fail(`unknown entity &${body};`, offset + index);
      return replacement;
    });
  }

  private name(what: string): string {
    NAME.lastIndex = this.at;
    const match = NAME.exec(this.xml);
    if (!match) this.fail(`expected ${what}`);
    this.at += match[0].length;
    return match[0];
  }

  /** Skips whitespace; true when there was some. */
  private skipSpace(): boolean {
    const start = this.at;
    while (this.at < this.xml.length && ' \t\n'.includes(this.xml[this.at])) this.at += 1;
    return this.at > start;
  }

  private skipPast(terminator: string, message: string): void {
    const end = this.xml.indexOf(terminator, this.at);
    if (end < 0) this.fail(message);
    this.at = end + terminator.length;
  }

  private fail(message: string, index: number = this.at): never {
    throw new XmlSyntaxError(message, index);
  }
}
