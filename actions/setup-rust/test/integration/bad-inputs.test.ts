/**
 * setup-rust's bad inputs, through the bundle (see packages/harness/src/bad-inputs.ts for what
 * each case checks). Every case fails before rustup runs.
 */
import {
  BAD,
  type BadInputCase,
  badInputTable,
  booleanInputCases,
  directoryInputCases,
  fixFor,
  HUGE_FIX,
  NEWLINE_FIX,
  withFiles,
} from '@ferrowheel/harness/bad-inputs';
import { freshDir } from '@ferrowheel/harness/workdirs';

const workspace = () => freshDir('bad-setup-rust');

const TOOLCHAIN_FIX = 'Use a channel (stable, beta, nightly)';
const TARGET_FIX = 'Use a Rust target triple';
const COMPONENT_FIX = 'Use names such as clippy';

const cases: BadInputCase[] = [
  // toolchain
  ...(
    [
      ['a typo', 'stabel'],
      ['two channels', 'stable beta'],
      ['an option', BAD.option],
      ['a path', BAD.traversal],
      ['an absolute path', BAD.absolute],
      ['a newline', `stable\n::warning::INJECTED`],
      ['unicode', BAD.unicode],
      ['100 KB', BAD.huge],
      ['a date that does not exist', 'nightly-2025-02-30'],
    ] as const
  ).map(([what, value]) => ({
    name: `toolchain: ${what}`,
    inputs: { toolchain: value },
    expect: { input: 'toolchain', fix: fixFor(value, TOOLCHAIN_FIX) },
  })),
  // targets (a list: the message shows the bad item)
  ...(
    [
      ['an unknown alias', 'x86_64 sparc', 'sparc'],
      ['an option', `x64 ${BAD.option}`, BAD.option],
      ['a traversal', BAD.traversal, BAD.traversal],
      ['an absolute path', '/usr/lib/rustlib', '/usr/lib/rustlib'],
      ['a newline-smuggled command', 'x64\n::warning::INJECTED', '::warning::INJECTED'],
      ['unicode', BAD.unicode, BAD.unicode],
      ['100 KB', BAD.huge, BAD.huge],
    ] as const
  ).map(([what, value, item]) => ({
    name: `targets: ${what}`,
    inputs: { targets: value },
    expect: { input: 'targets', value: item, fix: value === BAD.huge ? HUGE_FIX : TARGET_FIX },
  })),
  // components
  ...(
    [
      ['an option', `clippy ${BAD.option}`, BAD.option],
      ['a traversal', BAD.traversal, BAD.traversal],
      ['shell text', 'clippy;ls', 'clippy;ls'],
      ['unicode', BAD.unicode, BAD.unicode],
      ['100 KB', BAD.huge, BAD.huge],
    ] as const
  ).map(([what, value, item]) => ({
    name: `components: ${what}`,
    inputs: { components: value },
    expect: { input: 'components', value: item, fix: value === BAD.huge ? HUGE_FIX : COMPONENT_FIX },
  })),
  // profile
  ...(
    [
      ['a wrong enum', 'maximal'],
      ['an option', BAD.option],
      ['a newline', 'minimal\n::warning::INJECTED'],
      ['unicode', BAD.unicode],
      ['100 KB', BAD.huge],
    ] as const
  ).map(([what, value]) => ({
    name: `profile: ${what}`,
    inputs: { profile: value },
    expect: { input: 'profile', fix: fixFor(value, 'Use one of: minimal, default, complete.') },
  })),
  // working-directory
  ...directoryInputCases('working-directory', workspace),
  {
    name: 'working-directory: option-looking',
    inputs: { 'working-directory': BAD.option },
    expect: { input: 'working-directory', fix: 'Check the path' },
  },
  // booleans
  ...booleanInputCases('cache', ['maybe', BAD.unicode]),
  ...booleanInputCases('matcher', ['sometimes', BAD.option]),
  {
    name: 'cache: 100 KB',
    inputs: { cache: BAD.huge },
    expect: { input: 'cache', fix: HUGE_FIX },
  },
  // cache-key
  {
    name: 'cache-key: a comma',
    inputs: { 'cache-key': 'linux,3.12' },
    expect: { input: 'cache-key', fix: 'join the parts with - or _ instead.' },
  },
  {
    name: 'cache-key: 100 KB (GitHub caps keys at 512 characters)',
    inputs: { 'cache-key': BAD.huge },
    expect: { input: 'cache-key', mentions: ['512'], fix: 'shorter' },
  },
  {
    name: 'cache-key: a newline',
    inputs: { 'cache-key': 'a\n::warning::INJECTED' },
    expect: { input: 'cache-key', fix: NEWLINE_FIX },
  },
  // the toolchain file in working-directory
  {
    name: 'rust-toolchain.toml: an option as the channel',
    inputs: { 'working-directory': 'crate' },
    workspace: withFiles(workspace, { 'crate/rust-toolchain.toml': '[toolchain]\nchannel = "--help"\n' }),
    expect: { mentions: ['rust-toolchain.toml', '"--help"'], fix: TOOLCHAIN_FIX },
  },
  {
    name: 'rust-toolchain: empty',
    inputs: { 'working-directory': 'crate' },
    workspace: withFiles(workspace, { 'crate/rust-toolchain': '' }),
    expect: { mentions: ['rust-toolchain'], fix: TOOLCHAIN_FIX },
  },
  {
    name: 'rust-toolchain.toml: a component that reads as an option',
    inputs: { 'working-directory': 'crate' },
    workspace: withFiles(workspace, {
      'crate/rust-toolchain.toml': '[toolchain]\nchannel = "stable"\ncomponents = ["--force"]\n',
    }),
    expect: { mentions: ['rust-toolchain.toml', '"--force"'], fix: 'List names such as clippy' },
  },
  {
    name: 'rust-toolchain.toml: not TOML',
    inputs: { 'working-directory': 'crate' },
    workspace: withFiles(workspace, { 'crate/rust-toolchain.toml': '[toolchain\n' }),
    expect: { mentions: ['rust-toolchain.toml', 'is not valid TOML'], fix: 'Fix the syntax error.' },
  },
];

badInputTable('setup-rust', { workspace, cases });
