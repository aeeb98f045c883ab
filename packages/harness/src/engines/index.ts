import type { Engine } from '../engine.js';
import { HarnessError } from '../errors.js';
import type { MicrovmOptions } from '../run.js';
import type { EngineName } from '../types.js';
import { nodeEngine } from './node.js';

/** The engine by name. The microvm engine is loaded on demand (it needs vmm-core). */
export async function engineFor(name: EngineName | string, options: MicrovmOptions = {}): Promise<Engine> {
  if (name === 'node') return nodeEngine;
  if (name === 'microvm') {
    const { microvmEngine } = await import('./microvm/engine.js');
    return microvmEngine(options);
  }
  throw new HarnessError(`unknown engine '${name}' (available: node, microvm)`);
}
