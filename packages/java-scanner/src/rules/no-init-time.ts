// java/no-init-time: a field that outlives init holds a value derived from clock readings, stored during init.
// Docs: docs/rules/java/no-init-time.md. The shared logic is in init-value.ts.
import { initValueRule } from './init-value.js';

export const initTime = initValueRule('java/no-init-time');
