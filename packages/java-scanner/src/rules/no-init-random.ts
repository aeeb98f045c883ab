// java/no-init-random: a field that outlives init holds a value derived from pseudo-random generators and their draws, stored during init.
// Docs: docs/rules/java/no-init-random.md. The shared logic is in init-value.ts.
import { initValueRule } from './init-value.js';

export const initRandom = initValueRule('java/no-init-random');
