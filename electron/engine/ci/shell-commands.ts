import * as path from 'node:path';

/**
 * The shell a workflow's `run:` scripts are written in, read as words: commands split on
 * newlines, `;`, `&&`, `||` and `|`; heredoc bodies set aside; the program a command runs
 * (`alembic`, `python -m pytest`) and the script it calls; its options and positionals;
 * `NAME=value` assignments. A careful reading for the parity matrix and R5, not an interpreter.
 */

/** Words after which a program name is an argument, not a program being run (`pip install pytest`, `echo alembic`). */
const NOT_RUN_AFTER = new Set([
  'pip',
  'pip3',
  'install',
  'add',
  'uninstall',
  'remove',
  'show',
  'freeze',
  'download',
  'apt',
  'apt-get',
  'brew',
  'conda',
  'choco',
  'echo',
  'printf',
  'which',
  'command',
  'type',
  'grep',
]);

/** `alembic …`, `python -m alembic …`, `poetry run alembic …`: index of the program's own word. */
export function findProgram(words: string[], program: string, aliases: string[] = []): number {
  for (let i = 0; i < words.length; i++) {
    if (NOT_RUN_AFTER.has(words[i])) return -1;
    const base = words[i].split('/').pop() ?? '';
    if (base === program || aliases.includes(base)) return words.slice(i + 1).some((w) => w === '--version' || w === '--help') ? -1 : i;
    if (words[i] === '-m' && words[i + 1] === program && /python/.test(words[i - 1] ?? '')) return i + 1;
  }
  return -1;
}

/** `bash scripts/x.sh`, `./scripts/x.sh`, `pwsh -File x.ps1`: the script a command runs, if any. */
export function scriptOf(words: string[]): string | null {
  const first = words[0] ?? '';
  if (/\.(sh|bash|ps1)$/i.test(first)) return first;
  if (/^(bash|sh|zsh|pwsh|powershell|source|\.)$/.test(first)) {
    const file = words.slice(1).find((w) => !w.startsWith('-') && /\.(sh|bash|ps1)$/i.test(w));
    return file ?? null;
  }
  return null;
}

/** NAME=value and export NAME=value lines, so $NAME in later commands can be resolved. */
export function shellAssignments(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/^\s*(?:export\s+)?([A-Za-z_]\w*)=("[^"$`]*"|'[^']*'|[^\s"'$`;&|]*)\s*$/gm)) {
    out[match[1]] = match[2].replace(/^["']|["']$/g, '');
  }
  // PowerShell: $env:NAME = "value"
  for (const match of text.matchAll(/\$env:([A-Za-z_]\w*)\s*=\s*("[^"$`]*"|'[^']*')/g)) out[match[1]] = match[2].slice(1, -1);
  return out;
}

/** `$NAME`, `${NAME}` and `$env:NAME` replaced where the value is known; the rest left as written. */
export function substituteShellVariables(text: string, env: Record<string, string>): string {
  return text.replace(/\$(?:\{([A-Za-z_]\w*)\}|env:([A-Za-z_]\w*)|([A-Za-z_]\w*))/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    return env[name] !== undefined && !env[name].includes('${{') ? env[name] : whole;
  });
}

/** Heredoc bodies are data (SQL for psql), not commands: dropped before commands are split. */
export function stripHeredocBodies(text: string): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let delimiter: string | null = null;
  for (const line of lines) {
    if (delimiter !== null) {
      if (line.trim() === delimiter) delimiter = null;
      continue;
    }
    out.push(line);
    const heredoc = /<<-?\s*(['"]?)([A-Za-z_]\w*)\1/.exec(line);
    if (heredoc) delimiter = heredoc[2];
  }
  return out.join('\n');
}

/**
 * Splits a script into simple commands (on newlines, ;, &&, || and |), each as shell words.
 * A backslash stays as written: in PowerShell steps it is a path separator (`.\\scripts\\setup.ps1`),
 * so callers join bash's line continuations themselves before splitting.
 */
export function commands(text: string): string[][] {
  const out: string[][] = [];
  let words: string[] = [];
  let word = '';
  let hasWord = false;
  let quote: '"' | "'" | null = null;
  const endWord = () => {
    if (hasWord) words.push(word);
    word = '';
    hasWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length) out.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      hasWord = true;
    } else if (ch === '#' && !hasWord) {
      while (i < text.length && text[i] !== '\n') i++;
      endCommand();
    } else if (ch === '\n' || ch === ';' || ch === '|' || (ch === '&' && text[i + 1] === '&')) {
      endCommand();
      if ((ch === '&' || ch === '|') && text[i + 1] === ch) i++;
    } else if (/\s/.test(ch)) {
      endWord();
    } else {
      word += ch;
      hasWord = true;
    }
  }
  endCommand();
  return out;
}

/** The values given to any of `names` (`-f x`, `--file=x`, `-fx`). */
export function optionValues(args: string[], names: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const eq = args[i].indexOf('=');
    if (eq > 0 && names.includes(args[i].slice(0, eq))) values.push(args[i].slice(eq + 1));
    else if (names.includes(args[i]) && args[i + 1] !== undefined) values.push(args[++i]);
    else {
      const short = names.find((n) => n.length === 2 && args[i].startsWith(n) && args[i].length > 2 && !args[i].startsWith('--'));
      if (short) values.push(args[i].slice(2));
    }
  }
  return values;
}

/** The words that are not options or their values, up to a redirection. */
function positionals(args: string[], valued: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (/^[<>]/.test(arg)) break;
    if (arg.startsWith('-')) {
      if (valued.includes(arg)) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

export function firstPositional(args: string[], valued: string[]): string | null {
  return positionals(args, valued)[0] ?? null;
}

export function lastPositional(args: string[], valued: string[]): string | null {
  return positionals(args, valued).at(-1) ?? null;
}

/** A word as it would be written back into a command line. */
export function quoteIfNeeded(word: string): string {
  return /[\s"'$]/.test(word) ? `"${word.replace(/"/g, '\\"')}"` : word;
}

/** A path a script names, relative to the repository (forward slashes, no leading ./ or trailing /). */
export function joinPath(cwd: string, relative: string): string {
  const cleaned = relative.replace(/\\/g, '/').replace(/^["']|["']$/g, '');
  if (cleaned.startsWith('/')) return path.posix.normalize(cleaned).replace(/^\/+/, '');
  const joined = path.posix.normalize(path.posix.join(cwd || '.', cleaned)).replace(/\/+$/, '');
  return joined === '.' ? '' : joined;
}
