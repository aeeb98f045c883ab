import type { Category } from './categories.js';
import type { Severity } from './finding.js';

/** Where rule documentation lives; every rule's docs URL is derived from it. */
export const DOCS_BASE_URL = 'https://github.com/snapstart-dev/snapstart/blob/main/docs/rules/';

export type RuleEngine = 'eslint' | 'java';

export interface RuleMeta {
  /** Id without the plugin prefix, e.g. "no-init-uuid" or "java/init-uuid". */
  readonly id: string;
  readonly engine: RuleEngine;
  readonly category: Category;
  readonly defaultSeverity: Severity;
  /** One sentence, imperative, shown in editors and in SARIF's shortDescription. */
  readonly description: string;
  /** Longer explanation for SARIF's fullDescription and `--explain`. */
  readonly rationale: string;
  /** Whether the rule offers an autofix (`--fix`). */
  readonly fixable: boolean;
  /** Whether the rule offers editor suggestions. */
  readonly hasSuggestions: boolean;
}

function rule(meta: RuleMeta): RuleMeta {
  return meta;
}

const SHARED_RATIONALE =
  'A snapshot platform (AWS Lambda SnapStart, Firecracker snapshots) runs init once and resumes every ' +
  'execution environment from that one memory image, so a value created during init is identical in every clone.';

/**
 * Every rule snapstart ships, for every engine. The ESLint plugin, the Java scanner and the CLI
 * read their metadata from here; nothing re-declares it.
 */
export const RULES = {
  'no-init-uuid': rule({
    id: 'no-init-uuid',
    engine: 'eslint',
    category: 'uuid',
    defaultSeverity: 'error',
    description: 'Disallow unique identifiers created during init that survive into invocations',
    rationale: `${SHARED_RATIONALE} An ID made at init (a sandbox id, a log stream name, a request-id prefix) is then shared by all clones.`,
    fixable: false,
    hasSuggestions: true,
  }),
  'no-init-random': rule({
    id: 'no-init-random',
    engine: 'eslint',
    category: 'random',
    defaultSeverity: 'error',
    description: 'Disallow random values and seeded PRNGs created during init that survive into invocations',
    rationale: `${SHARED_RATIONALE} Random bytes, numbers or a PRNG seeded at init produce the same sequence in every clone.`,
    fixable: false,
    hasSuggestions: true,
  }),
  'no-init-time': rule({
    id: 'no-init-time',
    engine: 'eslint',
    category: 'time',
    defaultSeverity: 'warning',
    description: 'Disallow timestamps taken during init that survive into invocations',
    rationale: `${SHARED_RATIONALE} A timestamp taken at init is the snapshot's time, possibly days before a clone runs, and the same in every clone.`,
    fixable: false,
    hasSuggestions: true,
  }),
  'no-init-secret': rule({
    id: 'no-init-secret',
    engine: 'eslint',
    category: 'secret',
    defaultSeverity: 'error',
    description: 'Disallow keys and key pairs generated during init that survive into invocations',
    rationale: `${SHARED_RATIONALE} Key material generated at init is shared by every clone, so one compromised environment exposes all of them.`,
    fixable: false,
    hasSuggestions: true,
  }),
  'no-init-entropy-cache': rule({
    id: 'no-init-entropy-cache',
    engine: 'eslint',
    category: 'entropy-cache',
    defaultSeverity: 'error',
    description: "Disallow Node's cached randomUUID() during init, which makes later UUIDs repeat across clones",
    rationale:
      `${SHARED_RATIONALE} Node's crypto.randomUUID() fills a 128-UUID entropy cache in the JS heap on its first call; ` +
      'a call during init puts that cache into the snapshot, so the UUIDs later generated inside the handler repeat across clones too. ' +
      'Pass { disableEntropyCache: true }.',
    fixable: true,
    hasSuggestions: true,
  }),
  'no-init-custom-source': rule({
    id: 'no-init-custom-source',
    engine: 'eslint',
    category: 'other',
    defaultSeverity: 'error',
    description: 'Disallow values from user-configured unique sources created during init that survive into invocations',
    rationale: `${SHARED_RATIONALE} This rule checks the sources you declare in settings.snapstart.sources with category "other".`,
    fixable: false,
    hasSuggestions: true,
  }),
} as const satisfies Record<string, RuleMeta>;

export type RuleId = keyof typeof RULES;

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

export function rulesForEngine(engine: RuleEngine): RuleMeta[] {
  return Object.values(RULES).filter((r: RuleMeta) => r.engine === engine);
}

/** The ESLint rule of each category (the entropy cache has its own). */
export function eslintRuleForCategory(category: Category): RuleMeta {
  const found = Object.values(RULES).find((r: RuleMeta) => r.engine === 'eslint' && r.category === category);
  if (!found) throw new Error(`no ESLint rule for category ${category}`);
  return found;
}
