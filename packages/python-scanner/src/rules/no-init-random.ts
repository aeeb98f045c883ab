// python/no-init-random: the handler reads random values or generator state made during init (category `random`).
// Docs: docs/rules/python/no-init-random.md. The findings are built in init-value.ts, by category.
import { pythonRule } from './rule.js';

export const initRandom = pythonRule('python/no-init-random');
