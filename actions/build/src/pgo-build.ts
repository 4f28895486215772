/**
 * The phases of a PGO build (pgo.ts says why ferrowheel runs them): instrumented build,
 * training, merge, optimised build, and, with `pgo-measure`, a plain build and the timed runs.
 * The instrumented build is one maturin call, for the training interpreter only; the optimised
 * build runs the step's whole list of maturin calls (maturin-calls.ts), and what it compiled is
 * what the build's diagnosis, collection and per-interpreter outcomes read, exactly as without PGO.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { UserError } from '@ferrowheel/kit/errors';
import type { Exec } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import { reportedArtifacts } from './artifacts.js';
import type { Inputs } from './inputs.js';
import { maturinCalls } from './maturin-calls.js';
import {
  describeTraining,
  freshDir,
  onlyWheel,
  type PgoPlan,
  trainingArgv,
  venvEnv,
  venvWith,
} from './pgo.js';
import { describeGain, type Gain, gainOf, MEASURE_RUNS } from './pgo-gain.js';
import { type BaseRustflags, rustflagsEnv } from './reproducibility.js';
import type { BuildStrategy, Compiled, CompileRequest } from './strategy.js';

type ReadyPlan = PgoPlan & { kind: 'on' };

export interface PgoContext {
  plan: ReadyPlan;
  inputs: Inputs;
  strategy: BuildStrategy;
  /** The step's own compile (its argv, its environment with the base rustflags). */
  request: CompileRequest;
  rustflags: BaseRustflags;
  /** Runs a command where the build runs. */
  exec: Exec;
}

/** What a build tells about its PGO: summary lines, and the gain when `pgo-measure` measured it. */
export interface PgoReport {
  summary: string[];
  gain?: Gain;
}

export interface PgoOutcome extends PgoReport {
  /** The optimised build's calls: what the build's diagnosis and collection read. */
  compiled: Compiled;
}

/** Whether every maturin call of a compile ran and succeeded. */
function succeeded(compiled: Compiled): boolean {
  return (
    compiled.run.exitCode === 0 && compiled.ran.length > 0 && compiled.ran.every((r) => r.exitCode === 0)
  );
}

/** A build of the training interpreter's wheel into `out`, with `extraFlags` after the base ones. */
async function singleWheel(
  ctx: PgoContext,
  out: string,
  extraFlags: string[],
  what: string,
): Promise<string> {
  const { inputs } = ctx;
  // One interpreter: one call (maturin-calls.ts), GIL-enabled or free-threaded alike.
  const calls = maturinCalls({
    ...inputs,
    outDir: freshDir(out),
    interpreters: { kind: 'list', items: [ctx.plan.python] },
    sdist: false,
    rustcArgs: ctx.rustflags.crate,
  });
  const env = { ...ctx.request.env, ...rustflagsEnv(ctx.rustflags, extraFlags) };
  const compiled = await ctx.strategy.compile({ ...ctx.request, env, calls });
  const wheel = succeeded(compiled) ? onlyWheel(out) : undefined;
  if (wheel === undefined) {
    const exitCode = compiled.ran.find((r) => r.exitCode !== 0)?.exitCode ?? compiled.run.exitCode;
    throw new UserError(
      `pgo: the ${what} build failed (exit code ${exitCode}); see the compiler errors above.`,
    );
  }
  return wheel;
}

/** Phase 2: the training with the instrumented wheel; the raw profiles it wrote. */
async function train(ctx: PgoContext, wheel: string, profiles: string): Promise<string[]> {
  const { inputs, plan } = ctx;
  const os = inputs.runner.platform.os;
  const venv = path.join(plan.dir, 'training-venv');
  const python = await venvWith(ctx.exec, { python: plan.python, venv, wheel, os, env: ctx.request.env });
  const command = trainingArgv(plan.training, os, python);
  const env = venvEnv(ctx.request.env, venv, os, { LLVM_PROFILE_FILE: path.join(profiles, '%m_%p.profraw') });
  const ran = await ctx.exec(command.program, command.args, {
    cwd: inputs.workingDirectory,
    env,
    allowFailure: true,
  });
  if (ran.exitCode !== 0) {
    throw new UserError(
      `pgo: the training ${describeTraining(plan.training, inputs.runner.workspace)} failed with exit code ${ran.exitCode} (see its output above); it ran in ${inputs.workingDirectory} with the instrumented wheel in a fresh venv. Fix it, or set 'pgo: false'.`,
    );
  }
  const raw = readdirSync(profiles).filter((f) => f.endsWith('.profraw'));
  if (raw.length === 0) {
    throw new UserError(
      `pgo: the training ${describeTraining(plan.training, inputs.runner.workspace)} ran but wrote no profile: it never loaded the extension. Make it import and exercise the module.`,
    );
  }
  return raw.map((f) => path.join(profiles, f));
}

/** Phase 3: the raw profiles merged into one file. */
async function merge(ctx: PgoContext, raw: string[]): Promise<string> {
  const merged = path.join(ctx.plan.dir, 'merged.profdata');
  const result = await ctx.exec(ctx.plan.profdata.program, ['merge', '-o', merged, ...raw], {
    allowFailure: true,
  });
  if (result.exitCode !== 0) {
    throw new UserError(
      `pgo: ${ctx.plan.profdata.program} merge failed (exit code ${result.exitCode}, see above) on ${raw.length} profile(s) of the training. Its LLVM is ${ctx.plan.profdata.version}; rustc's must be the same major version.`,
    );
  }
  return merged;
}

/** `pgo-measure`: the training timed with a plain wheel and the PGO wheel, interleaved. */
async function measure(ctx: PgoContext, pgoWheel: string): Promise<Gain> {
  const { inputs, plan } = ctx;
  const os = inputs.runner.platform.os;
  const plainWheel = await singleWheel(ctx, path.join(plan.dir, 'plain'), [], 'plain (for pgo-measure)');
  const setups = [];
  for (const [name, wheel] of [
    ['plain', plainWheel],
    ['pgo', pgoWheel],
  ] as const) {
    const venv = path.join(plan.dir, `measure-${name}`);
    const python = await venvWith(ctx.exec, { python: plan.python, venv, wheel, os, env: ctx.request.env });
    setups.push({
      command: trainingArgv(plan.training, os, python),
      env: venvEnv(ctx.request.env, venv, os),
    });
  }
  const times: [number[], number[]] = [[], []];
  for (let run = 0; run < MEASURE_RUNS; run++) {
    for (const [i, setup] of setups.entries()) {
      const started = process.hrtime.bigint();
      const ran = await ctx.exec(setup.command.program, setup.command.args, {
        cwd: inputs.workingDirectory,
        env: setup.env,
        silent: true,
        allowFailure: true,
      });
      if (ran.exitCode !== 0)
        throw new UserError(`pgo-measure: a timed training run failed (exit code ${ran.exitCode}).`);
      times[i]!.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return gainOf(times[0], times[1]);
}

/** The whole PGO build of one maturin call (see the module comment). */
export async function compileWithPgo(ctx: PgoContext): Promise<PgoOutcome> {
  const { plan, inputs } = ctx;
  freshDir(plan.dir);
  const profiles = freshDir(path.join(plan.dir, 'profiles'));
  const instrumented = await core.group('PGO 1/3: instrumented build', () =>
    singleWheel(ctx, path.join(plan.dir, 'instrumented'), [`-Cprofile-generate=${profiles}`], 'instrumented'),
  );
  // Build scripts and proc macros ran instrumented during that build (without --target, cargo
  // gives them the rustflags too): only the training's profiles count.
  freshDir(profiles);
  const raw = await core.group(
    logText`PGO 2/3: training (${describeTraining(plan.training, inputs.runner.workspace)})`,
    () => train(ctx, instrumented, profiles),
  );
  const merged = await core.group('PGO 3/3: merge and optimised build', () => merge(ctx, raw));
  // The optimised build is the step's own: every maturin call of the request, with the profile.
  const compiled = await ctx.strategy.compile({
    ...ctx.request,
    env: { ...ctx.request.env, ...rustflagsEnv(ctx.rustflags, [`-Cprofile-use=${merged}`]) },
  });
  const summary = [
    `PGO: trained with \`${describeTraining(plan.training, inputs.runner.workspace)}\` on \`${plan.python}\`; ${raw.length} profile(s) merged by \`${plan.profdata.program}\` (LLVM ${plan.profdata.version}, from ${plan.profdata.via}).`,
  ];
  if (inputs.pgoMeasure && succeeded(compiled)) {
    const built = sameWheel(compiled, path.basename(instrumented), inputs.workingDirectory);
    const gain = await core.group('PGO gain: plain vs PGO wheel on the training', () => measure(ctx, built));
    core.info(describeGain(gain));
    return { compiled, summary: [...summary, describeGain(gain)], gain };
  }
  if (!inputs.pgoMeasure) {
    summary.push(
      'The gain was not measured (`pgo-measure: true` measures it, at the cost of a plain build).',
    );
  }
  return { compiled, summary };
}

/**
 * The optimised wheel for the training interpreter: the one named like the instrumented wheel
 * (same interpreter, same tags), from the optimised build's own report.
 */
function sameWheel(compiled: Compiled, filename: string, cwd: string): string {
  const { wheels } = reportedArtifacts(compiled.log);
  const wheel = wheels.find((w) => path.basename(w) === filename);
  if (wheel === undefined) {
    throw new UserError(
      `pgo-measure: the optimised build made no ${filename} to time against the plain one.`,
    );
  }
  return path.resolve(cwd, wheel);
}
