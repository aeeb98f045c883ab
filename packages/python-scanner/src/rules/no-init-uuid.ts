// python/no-init-uuid: the handler reads a UUID made during init (category `uuid`).
// Docs: docs/rules/python/no-init-uuid.md. The findings are built in init-value.ts, by category.
import { pythonRule } from './rule.js';

export const initUuid = pythonRule('python/no-init-uuid');
