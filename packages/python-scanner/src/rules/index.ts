// Every Python rule, one file per rule id (the id's last part).
import type { RuleMeta } from '@snapstart/core';
import { hookNotImported } from './hook-not-imported.js';
import { initCustomSource } from './no-init-custom-source.js';
import { initRandom } from './no-init-random.js';
import { initSecret } from './no-init-secret.js';
import { initTime } from './no-init-time.js';
import { initUuid } from './no-init-uuid.js';

export const PYTHON_RULES: readonly RuleMeta[] = [initUuid, initRandom, initTime, initSecret, initCustomSource, hookNotImported];
