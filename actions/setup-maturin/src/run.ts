import * as core from '@actions/core';
import { type Inputs, readInputs } from './inputs.js';

export async function run(inputs: Inputs = readInputs()): Promise<void> {
  core.info(`maturin constraint: ${inputs.version || '(from pyproject.toml)'}`);
}
