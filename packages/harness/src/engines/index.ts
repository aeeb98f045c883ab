import type { Engine } from '../engine.js';
import { HarnessError } from '../errors.js';
import type { MicrovmOptions } from '../run.js';
import type { EngineName } from '../types.js';
import { nodeEngine } from './node.js';

/** The engine by name. */
export async function engineFor(name: EngineName | string, options: MicrovmOptions = {}): Promise<Engine> {
  void options;
  if (name === 'node') return nodeEngine;
  throw new HarnessError(`unknown engine '${name}' (available: node)`);
}
