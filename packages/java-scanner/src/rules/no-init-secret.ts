// java/no-init-secret: a field that outlives init holds a value derived from generated key material, stored during init.
// Docs: docs/rules/java/no-init-secret.md. The shared logic is in init-value.ts.
import { initValueRule } from './init-value.js';

export const initSecret = initValueRule('java/no-init-secret');
