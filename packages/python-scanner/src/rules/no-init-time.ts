// python/no-init-time: the handler reads a timestamp made during init (category `time`).
// Docs: docs/rules/python/no-init-time.md. The findings are built in init-value.ts, by category.
import { pythonRule } from './rule.js';

export const initTime = pythonRule('python/no-init-time');
