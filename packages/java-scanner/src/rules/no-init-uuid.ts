// java/no-init-uuid: a field that outlives init holds a value derived from UUID.randomUUID() and other ID sources, stored during init.
// Docs: docs/rules/java/no-init-uuid.md. The shared logic is in init-value.ts.
import { initValueRule } from './init-value.js';

export const initUuid = initValueRule('java/no-init-uuid');
