// python/no-init-secret: the handler reads key material made during init (category `secret`).
// Docs: docs/rules/python/no-init-secret.md. The findings are built in init-value.ts, by category.
import { pythonRule } from './rule.js';

export const initSecret = pythonRule('python/no-init-secret');
