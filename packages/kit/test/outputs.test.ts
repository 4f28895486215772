import { describe, expect, it } from '@jest/globals';
import { UserError } from '../src/errors.js';
import { addPath, exportVariable, type StepOutputs, setOutput } from '../src/outputs.js';

function recorder(): StepOutputs & { written: string[] } {
  const written: string[] = [];
  return {
    written,
    setOutput: (name, value) => void written.push(`output ${name}=${value}`),
    exportVariable: (name, value) => void written.push(`env ${name}=${value}`),
    addPath: (dir) => void written.push(`path ${dir}`),
  };
}

describe('step outputs', () => {
  it('passes single-line values through', () => {
    const sink = recorder();
    setOutput('out-dir', '/w/dist', {}, sink);
    exportVariable('CARGO_HOME', '/h/.cargo', sink);
    addPath('/h/.cargo/bin', sink);
    setOutput('wheel', '/w/a.whl\n/w/b.whl', { multiLine: true }, sink);
    expect(sink.written).toEqual([
      'output out-dir=/w/dist',
      'env CARGO_HOME=/h/.cargo',
      'path /h/.cargo/bin',
      'output wheel=/w/a.whl\n/w/b.whl',
    ]);
  });
  it.each([
    ['an output', (sink: StepOutputs) => setOutput('out-dir', '/w/dist\n::add-path::/tmp/evil', {}, sink)],
    ['an output with CR', (sink: StepOutputs) => setOutput('username', 'me\r::error::x', {}, sink)],
    ['a variable', (sink: StepOutputs) => exportVariable('X', 'a\nb', sink)],
    ['a PATH entry', (sink: StepOutputs) => addPath('/tmp/bin\n/tmp/evil', sink)],
  ])('refuses a line break in %s and writes nothing', (_, write) => {
    const sink = recorder();
    expect(() => write(sink)).toThrow(UserError);
    expect(() => write(sink)).toThrow(/would hold a line break .* more than one value/);
    expect(sink.written).toEqual([]);
  });
});
