/**
 * The house rule "no function over 60 lines" (in the actions' sources, kit and the local pipeline),
 * measured with the TypeScript compiler's own parse: every function-like node (declarations,
 * methods, arrows, function expressions, accessors, constructors) and its line span, from its
 * first token (a leading doc comment is not counted) to its closing brace. A nested function
 * counts inside its parent as well: a 100-line run() made of closures is still 100 lines.
 *
 * `npm test` runs it (packages/harness/test/function-length.test.ts); to list them by hand:
 * `pnpm exec tsx scripts/long-functions.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const MAX_FUNCTION_LINES = 60;

/** The source trees the rule covers, relative to the repository root. */
export const FUNCTION_LENGTH_ROOTS = ['actions/*/src', 'packages/kit/src', 'scripts/pipeline'] as const;

export interface FunctionSpan {
  /** Relative to the repository root, with `/`. */
  file: string;
  /** 1-based line of the function's first token. */
  line: number;
  /** The name it is known by: `run`, `Class.method`, `outer/<arrow>`... */
  name: string;
  lines: number;
}

/** The `.ts` files under the covered roots (`*` is one directory level). */
export function coveredFiles(root: string): string[] {
  const expand = (pattern: string): string[] => {
    const [head, ...rest] = pattern.split('/*');
    const base = path.join(root, head!);
    if (rest.length === 0) return [base];
    return readdirSync(base, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => expand(`${path.relative(root, path.join(base, e.name))}${rest.join('/*')}`));
  };
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return walk(full);
      return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
    });
  return FUNCTION_LENGTH_ROOTS.flatMap((pattern) =>
    expand(pattern).flatMap((dir) => {
      try {
        return walk(dir);
      } catch {
        return [];
      }
    }),
  ).sort();
}

function propertyName(name: ts.PropertyName | ts.BindingName, source: ts.SourceFile): string {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText(source);
}

/** The name a function is known by where it is defined, else `<anonymous>`. */
function ownName(node: ts.Node, source: ts.SourceFile): string {
  if (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isFunctionExpression(node)) &&
    node.name
  ) {
    return propertyName(node.name, source);
  }
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (
    ts.isVariableDeclaration(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isPropertyDeclaration(parent)
  ) {
    return propertyName(parent.name, source);
  }
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    const callee = parent.expression.getText(source).slice(0, 40);
    return `<callback of ${ts.isNewExpression(parent) ? 'new ' : ''}${callee}>`;
  }
  return '<anonymous>';
}

/** `Class.method`, `outer/inner`: the names of the enclosing classes and functions first. */
function qualifiedName(node: ts.Node, source: ts.SourceFile): string {
  const names = [ownName(node, source)];
  for (let up = node.parent; up !== undefined; up = up.parent) {
    if (ts.isClassDeclaration(up) && up.name) names.unshift(`${up.name.text}.`);
    else if (ts.isFunctionLike(up) && isMeasured(up)) names.unshift(`${ownName(up, source)}/`);
  }
  return names.join('');
}

function isMeasured(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** Every function in a source text with a body, and its span in lines. */
export function functionSpans(file: string, text: string): FunctionSpan[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const spans: FunctionSpan[] = [];
  const visit = (node: ts.Node): void => {
    if (isMeasured(node) && node.body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      spans.push({ file, line: start + 1, name: qualifiedName(node, source), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans;
}

/** The functions over the limit in the covered trees, longest first. */
export function longFunctions(root: string, max = MAX_FUNCTION_LINES): FunctionSpan[] {
  return coveredFiles(root)
    .flatMap((full) => {
      const file = path.relative(root, full).split(path.sep).join('/');
      return functionSpans(file, readFileSync(full, 'utf8'));
    })
    .filter((span) => span.lines > max)
    .sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
}

/** `file:line name (N lines)`, one per line. */
export function formatSpans(spans: readonly FunctionSpan[]): string {
  return spans.map((s) => `${s.file}:${s.line} ${s.name} (${s.lines} lines)`).join('\n');
}
