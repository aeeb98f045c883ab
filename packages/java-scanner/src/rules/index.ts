// Every Java rule, one file per rule id (the id's last part), in the order scan.ts runs them.
import { cracResourceNotRegistered } from './crac-resource-not-registered.js';
import { cracResourceWeaklyHeld } from './crac-resource-weakly-held.js';
import { initCustom } from './no-init-custom-source.js';
import { initRandom } from './no-init-random.js';
import { initSecret } from './no-init-secret.js';
import { initTime } from './no-init-time.js';
import { initUuid } from './no-init-uuid.js';
import type { JavaRule } from './rule.js';

export const JAVA_RULES: readonly JavaRule[] = [initUuid, initRandom, initTime, initSecret, initCustom, cracResourceNotRegistered, cracResourceWeaklyHeld];

export type { Candidate, JavaRule, JavaRuleContext } from './rule.js';
