import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { COMMANDS, FLAG_NAMES } from '../../../electron/cli/parse-args';

/**
 * The engine and shared/ write their messages in no front's words (shared/errors/user-action.ts):
 * a message that asks for something attaches a UserAction, and the CLI names its flag or
 * command while the app names its control. This reads every string in those folders and
 * fails on prose that names a CLI command (`skeldir-rebuild restore`) or one of the CLI's
 * own flags (`--yes`), so an app user is never told to type a flag.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Files that hold the fronts' own words: the table of each front's how-to, and the saved HTML
 * report, which shows support staff both ways to fix.
 */
const FRONTS_INSIDE = new Set(['shared/errors/user-action-how-to.ts', 'electron/engine/bundle/render-html.ts']);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(rel));
    else if (/\.tsx?$/.test(entry.name) && !FRONTS_INSIDE.has(rel)) out.push(rel);
  }
  return out;
}

/** The text of every string and template literal, with where it is. */
function stringsOf(file: string): { text: string; line: number }[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { text: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push({ text: node.text, line: lineOf(source, node) });
    else if (ts.isTemplateExpression(node)) {
      out.push({ text: [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' \u2026 '), line: lineOf(source, node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

const COMMAND_WORDS = new RegExp(`skeldir-rebuild (${COMMANDS.join('|')})\\b`);
const FLAG_WORDS = new RegExp(`(?:^|[\\s(\`'"])(--(?:${FLAG_NAMES.join('|')}))(?![\\w-])`);

/** Prose, not an argument list: a single token such as '--host' is what the engine passes to psql or reads in a workflow. */
function frontWords(text: string): string | null {
  if (!/\s/.test(text.trim())) return null;
  return COMMAND_WORDS.exec(text)?.[0] ?? FLAG_WORDS.exec(text)?.[1] ?? null;
}

describe('engine and shared messages name no front’s flags or commands', () => {
  it('finds the words it looks for (the check itself works)', () => {
    expect(frontWords('Put it back with: skeldir-rebuild restore NAME')).toBe('skeldir-rebuild restore');
    expect(frontWords('pass --yes when not interactive')).toBe('--yes');
    expect(frontWords('choose a folder (--embedded-dir)')).toBe('--embedded-dir');
    expect(frontWords('--host')).toBeNull();
    expect(frontWords('runs `alembic upgrade head --sql` offline')).toBeNull();
  });

  it('no string in electron/engine/, electron/app-service/ or shared/ asks for a CLI flag or command', () => {
    const found: string[] = [];
    for (const file of [...sources('electron/engine'), ...sources('electron/app-service'), ...sources('shared')]) {
      for (const { text, line } of stringsOf(file)) {
        const words = frontWords(text);
        if (words) found.push(`${file}:${line}: ${words}`);
      }
    }
    expect(found).toEqual([]);
  });
});
