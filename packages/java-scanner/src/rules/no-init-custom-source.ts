// java/no-init-custom-source: a field that outlives init holds a value derived from your own sources of category "other", stored during init.
// Docs: docs/rules/java/no-init-custom-source.md. The shared logic is in init-value.ts.
import { initValueRule } from './init-value.js';

export const initCustom = initValueRule('java/no-init-custom-source');
