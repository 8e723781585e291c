import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** One import found in a source file. */
export interface ImportEdge {
  /** The importing file, relative to `src/` with forward slashes (`gateway/gateway.ts`). */
  file: string;
  /** 1-based line of the import statement. */
  line: number;
  /** The specifier as written (`../spec/index.js`, `fastify`). */
  specifier: string;
  /**
   * For relative specifiers: the target relative to `src/` with `.js` read as `.ts` (`spec/index.ts`); it
   * starts with `../` when the target lies outside `src/`. For packages: undefined.
   */
  target: string | undefined;
}

/** A source file's path (relative to `src/`, forward slashes) and text. */
export interface SourceFile {
  path: string;
  text: string;
}

/**
 * Blanks out comments (keeping line breaks, so line numbers stay right) so that an import quoted in a doc
 * comment does not count. String literals are copied as they are: `'http://x'` must not start a comment.
 */
export function stripComments(text: string): string {
  let output = '';
  let index = 0;
  while (index < text.length) {
    const character = text[index];
    const next = text[index + 1];
    if (character === '/' && next === '*') {
      const end = text.indexOf('*/', index + 2);
      const stop = end === -1 ? text.length : end + 2;
      output += text.slice(index, stop).replace(/[^\n]/g, ' ');
      index = stop;
    } else if (character === '/' && next === '/') {
      const end = text.indexOf('\n', index);
      const stop = end === -1 ? text.length : end;
      output += ' '.repeat(stop - index);
      index = stop;
    } else if (character === "'" || character === '"' || character === '`') {
      let end = index + 1;
      while (end < text.length && text[end] !== character) end += text[end] === '\\' ? 2 : 1;
      output += text.slice(index, end + 1);
      index = end + 1;
    } else {
      output += character;
      index += 1;
    }
  }
  return output;
}

// `import x from 'y'`, `import type { a, b } from 'y'` (across lines), `import 'y'`, `export * from 'y'`,
// `export { a } from 'y'`, and `import('y')`. Type-only imports count: they still couple the modules.
const staticImport = /(?:^|[;}\s])(?:import|export)\s+(?:type\s+)?(?:[\w*${},\s]*?\s*from\s*)?(['"])([^'"\n]+)\1/g;
const dynamicImport = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** The specifiers a TypeScript source imports or re-exports, with their line numbers. */
export function parseImports(text: string): Array<{ specifier: string; line: number }> {
  const code = stripComments(text);
  const found: Array<{ specifier: string; line: number; index: number }> = [];
  for (const pattern of [staticImport, dynamicImport]) {
    for (const match of code.matchAll(pattern)) {
      const index = (match.index ?? 0) + match[0].indexOf(match[1] + match[2]);
      found.push({ specifier: match[2], line: code.slice(0, index).split('\n').length, index });
    }
  }
  return found.sort((left, right) => left.index - right.index).map(({ specifier, line }) => ({ specifier, line }));
}

/** Resolves a relative specifier of `file` (both relative to `src/`) to a `src/`-relative `.ts` path. */
export function resolveTarget(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
}

/** Every import edge of the given files. */
export function importEdges(files: ReadonlyArray<SourceFile>): ImportEdge[] {
  return files.flatMap((file) =>
    parseImports(file.text).map(({ specifier, line }) => ({ file: file.path, line, specifier, target: resolveTarget(file.path, specifier) })),
  );
}

/** Production sources under `sourceRoot`: tests, fixtures, test helpers and the adapter contract suite left out. */
export function readProductionSources(sourceRoot: string): SourceFile[] {
  const walk = (directory: string): string[] =>
    readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      if (entry.isDirectory()) return ['__fixtures__', 'test-support'].includes(entry.name) ? [] : walk(join(directory, entry.name));
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [join(directory, entry.name)] : [];
    });
  return walk(sourceRoot)
    .map((absolute) => ({ path: relative(sourceRoot, absolute).split(sep).join('/'), absolute }))
    .filter(({ path }) => !path.startsWith('providers/contract/'))
    .map(({ path, absolute }) => ({ path, text: readFileSync(absolute, 'utf8') }));
}

/** The folder of `src/` a file sits in (`gateway`), or the file itself for top-level files (`main.ts`). */
export function domainOf(path: string): string {
  return path.split('/')[0] ?? path;
}
