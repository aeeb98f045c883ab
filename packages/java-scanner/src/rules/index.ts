// Every Java rule, one file per rule id (the id's last part), in the order scan.ts runs them.
import { cracResourceNotRegistered } from './crac-resource-not-registered.js';
import { cracResourceWeaklyHeld } from './crac-resource-weakly-held.js';
import { initCustom } from './init-custom.js';
import { initRandom } from './init-random.js';
import { initSecret } from './init-secret.js';
import { initTime } from './init-time.js';
import { initUuid } from './init-uuid.js';
import type { JavaRule } from './rule.js';

export const JAVA_RULES: readonly JavaRule[] = [initUuid, initRandom, initTime, initSecret, initCustom, cracResourceNotRegistered, cracResourceWeaklyHeld];

export type { Candidate, JavaRule, JavaRuleContext } from './rule.js';
