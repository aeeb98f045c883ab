// python/no-init-custom-source: the handler reads a value from a user-configured source made during init (category `other`).
// Docs: docs/rules/python/no-init-custom-source.md. The findings are built in init-value.ts, by category.
import { pythonRule } from './rule.js';

export const initCustomSource = pythonRule('python/no-init-custom-source');
