/**
 * The engines by name. Each engine is a folder (`node/`, `microvm/`, `linux/`) holding its host
 * side and its options type; its in-instance side is under `src/runtime/<engine>/`. Engines that
 * need native parts (vmm-core, QEMU) are loaded on demand.
 */
import { HarnessError } from '../errors.js';
import type { EngineName } from '../types.js';
import type { Engine } from './engine.js';
import type { LinuxOptions } from './linux/options.js';
import type { MicrovmOptions } from './microvm/options.js';
import { nodeEngine } from './node/engine.js';

/** Every engine's options; each engine reads the ones that concern it. */
export type EngineOptions = MicrovmOptions & LinuxOptions;

export const ENGINE_NAMES: readonly EngineName[] = ['node', 'microvm', 'linux'];

export async function engineFor(name: string, options: EngineOptions = {}): Promise<Engine> {
  if (name === 'node') return nodeEngine;
  if (name === 'microvm') {
    const { microvmEngine } = await import('./microvm/engine.js');
    return microvmEngine(options);
  }
  if (name === 'linux') {
    const { linuxEngine } = await import('./linux/engine.js');
    return linuxEngine(options);
  }
  throw new HarnessError(`unknown engine '${name}' (available: ${ENGINE_NAMES.join(', ')})`);
}
