/**
 * Hook scripts (`before-build`, `before-test`): a script file of the repository, started by an
 * argv chosen from its extension, never a shell string built from input text. One table for every
 * action, so a script runs the same way before the build and before the tests.
 *
 * - `.sh`, `.bash`: bash; `.py`: the given Python (the test venv's) or the platform's default;
 *   `.ps1`: pwsh without profile or prompts; `.cmd`, `.bat`: cmd.exe (Windows only), the path
 *   passed as one argument, unquoted (the runner's argv quoting adds the quotes it needs);
 * - anything else runs as the program itself, so it must be an executable file.
 */
import { InputError } from './errors.js';
import { programKind } from './files.js';
import { defaultPythonCommand, type Os } from './platform.js';

/** The lower-cased extension of a script path's last component, on any OS's separators. */
function extensionOf(script: string): string {
  const name = script.split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** How to start `script` on `os`: its interpreter for a known extension, else the file itself. */
export function scriptCommand(
  script: string,
  os: Os,
  options: { python?: string } = {},
): { program: string; args: string[] } {
  switch (extensionOf(script)) {
    case '.sh':
    case '.bash':
      return { program: 'bash', args: [script] };
    case '.py':
      return { program: options.python ?? defaultPythonCommand(os), args: [script] };
    case '.ps1':
      return { program: 'pwsh', args: ['-NoProfile', '-NonInteractive', '-File', script] };
    case '.cmd':
    case '.bat':
      // /d: no AutoRun commands. No /s and no quotes of our own: the path is one argv element.
      return { program: 'cmd.exe', args: ['/d', '/c', script] };
    default:
      return { program: script, args: [] };
  }
}

/**
 * Checks a script input (`script` is the resolved path of the value `raw` of `input`) can run on
 * `os`: a batch file only on Windows, a file without a known extension only when executable.
 */
export function checkScriptInput(input: string, raw: string, script: string, os: Os): void {
  const extension = extensionOf(script);
  if ((extension === '.cmd' || extension === '.bat') && os !== 'windows') {
    throw new InputError(
      input,
      raw,
      `is a Windows batch file, which cannot run on ${os}`,
      'Use a .sh, .bash, .py or .ps1 script, or run this step on Windows only.',
    );
  }
  if (scriptCommand(script, os).program === script && programKind(script, os) !== 'executable') {
    throw new InputError(
      input,
      raw,
      `names a file that is not executable and has no known extension (${script})`,
      'Make it executable (chmod +x, with a #! line), or name a .sh, .bash, .py, .ps1, .cmd or .bat script; give one path, no arguments.',
    );
  }
}
