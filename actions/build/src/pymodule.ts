/**
 * Finds the `#[pymodule]` items of a Rust source file and the Python module name each one
 * exports (its `PyInit_<name>` symbol): `#[pymodule] fn NAME`, `#[pymodule] mod NAME`, renamed by
 * `#[pyo3(name = "...")]` or `#[pymodule(name = "...")]`. A text scan, not a parser: good
 * enough to compare with `[lib] name` before spending CI minutes, and silent when it finds none.
 */

export interface PyModuleItem {
  /** The Python module name the item exports. */
  name: string;
  /** 1-based line of the `#[pymodule]` attribute. */
  line: number;
}

/** Blanks out comments (keeping newlines, so line numbers stay right). */
function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, (line) => ' '.repeat(line.length));
}

const NAME_ARG = /\bname\s*=\s*"([^"]+)"/;

/** The `#[pymodule]` items of `source`, in order. */
export function findPyModules(source: string): PyModuleItem[] {
  const text = stripComments(source);
  const items: PyModuleItem[] = [];
  const pattern =
    /#\[\s*(?:pyo3\s*::\s*)?pymodule\s*(?:\(([^)]*)\))?\s*\]((?:\s*#\[[^\]]*\])*)\s*(?:pub(?:\s*\([^)]*\))?\s+)?(fn|mod)\s+(?:r#)?([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const match of text.matchAll(pattern)) {
    const [, pymoduleArgs = '', otherAttributes = '', , ident] = match;
    const pyo3Args = /#\[\s*pyo3\s*\(([^)]*)\)/.exec(otherAttributes)?.[1] ?? '';
    const name = NAME_ARG.exec(pymoduleArgs)?.[1] ?? NAME_ARG.exec(pyo3Args)?.[1] ?? ident!;
    const line = text.slice(0, match.index).split('\n').length;
    items.push({ name, line });
  }
  return items;
}

/**
 * Whether a source defines a Python module at all: a `#[pymodule]` attribute (comments aside),
 * or a hand-written `PyInit_` function. Without one anywhere in the library, it exports nothing
 * Python can import.
 */
export function mentionsPyModule(source: string): boolean {
  return /#\[\s*(?:pyo3\s*::\s*)?pymodule\b|\bPyInit_\w/.test(stripComments(source));
}
