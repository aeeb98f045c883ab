// RULES: every rule of every engine (ESLint, Java, Python, the harness) with its id, category,
// default severity, description, rationale and fixability. The one truth: the rules' meta, the rule
// pages' header lines and the README's rule table are generated from it (scripts/rules-doc.mjs) and
// checked against it (tests/rules-agreement.test.ts, tests/rules-doc.test.ts). See docs/rules/.
import type { Category } from './categories.js';
import type { Severity } from './finding.js';

/** Where rule documentation lives; every rule's docs URL is derived from it. */
export const DOCS_BASE_URL = 'https://github.com/snapstart-dev/snapstart/blob/main/docs/rules/';

/** `harness`: results the harness proved on real clones (`snapstart-scan --confirm`), not a static analyzer. */
export type RuleEngine = 'eslint' | 'java' | 'python' | 'harness';

/**
 * What a rule reports. `value`: a unique value (or cached state) made during init that clones share —
 * the one rule per engine and category that `ruleForCategory` returns. `hook`: restore hooks that can
 * never run (a CRaC resource not registered or weakly held, a Python hook module nobody imports).
 */
export type RuleReports = 'value' | 'hook';

export interface RuleMeta {
  /** Id without the plugin prefix, e.g. "no-init-uuid" or "java/no-init-uuid". */
  readonly id: string;
  readonly engine: RuleEngine;
  readonly category: Category;
  readonly reports: RuleReports;
  /** The severity of its findings, and its level in the ESLint plugin's recommended config. */
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
    reports: 'value',
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
    reports: 'value',
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
    reports: 'value',
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
    reports: 'value',
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
    reports: 'value',
    defaultSeverity: 'error',
    description: "Disallow Node's cached randomUUID() during init, which makes later UUIDs repeat across clones",
    rationale:
      `${SHARED_RATIONALE} Node's crypto.randomUUID() fills a 128-UUID entropy cache in the JS heap on its first call; ` +
      'a call during init puts that cache into the snapshot, so the UUIDs later generated inside the handler repeat across clones too. ' +
      'Pass { disableEntropyCache: true }: the whole fix when a restore starts a new process (a V8 startup snapshot), not after a ' +
      "whole-VM restore (SnapStart), where OpenSSL's generator is in the snapshot too and Node's crypto repeats even in the handler: " +
      'take values that must differ per clone from the kernel (/dev/urandom).',
    fixable: true,
    hasSuggestions: false,
  }),
  'no-init-custom-source': rule({
    id: 'no-init-custom-source',
    engine: 'eslint',
    category: 'other',
    reports: 'value',
    defaultSeverity: 'error',
    description: 'Disallow values from user-configured unique sources created during init that survive into invocations',
    rationale: `${SHARED_RATIONALE} This rule checks the sources you declare in settings.snapstart.sources with category "other".`,
    fixable: false,
    hasSuggestions: true,
  }),
  'java/no-init-uuid': rule({
    id: 'java/no-init-uuid',
    engine: 'java',
    category: 'uuid',
    reports: 'value',
    defaultSeverity: 'error',
    description: 'A field of a class initialized during Lambda init holds an ID derived from UUID.randomUUID()',
    rationale: `${SHARED_RATIONALE} A UUID stored in a field of a handler (or a class it creates at init) is the same in every execution environment.`,
    fixable: false,
    hasSuggestions: false,
  }),
  'java/no-init-random': rule({
    id: 'java/no-init-random',
    engine: 'java',
    category: 'random',
    reports: 'value',
    defaultSeverity: 'error',
    description: 'A field initialized during Lambda init holds a pseudo-random generator or a value drawn from one',
    rationale:
      `${SHARED_RATIONALE} java.util.Random, SplittableRandom, ThreadLocalRandom, Math.random and Commons RandomStringUtils state captured at init replays the same sequence in every clone. ` +
      'SecureRandom is not reported: the platform reseeds it on restore.',
    fixable: false,
    hasSuggestions: false,
  }),
  'java/no-init-time': rule({
    id: 'java/no-init-time',
    engine: 'java',
    category: 'time',
    reports: 'value',
    defaultSeverity: 'warning',
    description: 'A field initialized during Lambda init holds a timestamp',
    rationale: `${SHARED_RATIONALE} A timestamp taken at init is the snapshot's time, the same in every clone and possibly days old.`,
    fixable: false,
    hasSuggestions: false,
  }),
  'java/no-init-secret': rule({
    id: 'java/no-init-secret',
    engine: 'java',
    category: 'secret',
    reports: 'value',
    defaultSeverity: 'error',
    description: 'A field initialized during Lambda init holds generated key material',
    rationale: `${SHARED_RATIONALE} Keys generated at init (KeyPairGenerator, KeyGenerator, SecureRandom.generateSeed) are shared by every clone.`,
    fixable: false,
    hasSuggestions: false,
  }),
  'java/no-init-custom-source': rule({
    id: 'java/no-init-custom-source',
    engine: 'java',
    category: 'other',
    reports: 'value',
    defaultSeverity: 'error',
    description: 'A field initialized during Lambda init holds a value from a user-configured unique source',
    rationale: `${SHARED_RATIONALE} This rule checks the methods you declare as sources with category "other".`,
    fixable: false,
    hasSuggestions: false,
  }),
  'java/crac-resource-not-registered': rule({
    id: 'java/crac-resource-not-registered',
    engine: 'java',
    category: 'other',
    reports: 'hook',
    defaultSeverity: 'warning',
    description: 'A CRaC Resource whose hooks can never run because it is never registered',
    rationale: 'An org.crac.Resource only gets beforeCheckpoint/afterRestore calls once it is registered with a CRaC Context; an unregistered resource restores nothing.',
    fixable: false,
    hasSuggestions: false,
  }),
  'java/crac-resource-weakly-held': rule({
    id: 'java/crac-resource-weakly-held',
    engine: 'java',
    category: 'other',
    reports: 'hook',
    defaultSeverity: 'error',
    description: 'A CRaC Resource registered without a strong reference, so it can be collected before the snapshot',
    rationale:
      'CRaC contexts hold resources by weak reference. A resource registered as `register(new Resource() { … })` or `register(new MyResource())` ' +
      'and kept nowhere else can be garbage-collected before the checkpoint, and then its hooks never run.',
    fixable: false,
    hasSuggestions: false,
  }),
  'python/no-init-uuid': rule({
    id: 'python/no-init-uuid',
    engine: 'python',
    category: 'uuid',
    reports: 'value',
    defaultSeverity: 'error',
    description: 'A value made while the module is imported (Lambda init) and read by the handler holds a UUID',
    rationale: `${SHARED_RATIONALE} A uuid.uuid4()/uuid1() kept in a module global, an object made at import or a closure is the same in every execution environment.`,
    fixable: false,
    hasSuggestions: false,
  }),
  'python/no-init-random': rule({
    id: 'python/no-init-random',
    engine: 'python',
    category: 'random',
    reports: 'value',
    defaultSeverity: 'error',
    description: 'The handler uses random numbers or generator state fixed during Lambda init',
    rationale:
      `${SHARED_RATIONALE} This covers values drawn at import and kept, random.Random()/numpy default_rng() generators made at import, ` +
      'and draws from the random module\'s own generator, whose state was seeded when the module was imported (unless an after-restore hook reseeds it). ' +
      'os.urandom, secrets and random.SystemRandom called in the handler are safe.',
    fixable: false,
    hasSuggestions: false,
  }),
  'python/no-init-time': rule({
    id: 'python/no-init-time',
    engine: 'python',
    category: 'time',
    reports: 'value',
    defaultSeverity: 'warning',
    description: 'A timestamp taken during Lambda init is read by the handler',
    rationale: `${SHARED_RATIONALE} time.time() or datetime.now() taken at import is the snapshot's time, the same in every clone and possibly days old.`,
    fixable: false,
    hasSuggestions: false,
  }),
  'python/no-init-secret': rule({
    id: 'python/no-init-secret',
    engine: 'python',
    category: 'secret',
    reports: 'value',
    defaultSeverity: 'error',
    description: 'Key material or a secret token generated during Lambda init is read by the handler',
    rationale: `${SHARED_RATIONALE} Keys and tokens generated at import (cryptography key generation, Fernet.generate_key, secrets.token_*) are shared by every clone.`,
    fixable: false,
    hasSuggestions: false,
  }),
  'python/no-init-custom-source': rule({
    id: 'python/no-init-custom-source',
    engine: 'python',
    category: 'other',
    reports: 'value',
    defaultSeverity: 'error',
    description: 'A value from a user-configured unique source made during Lambda init is read by the handler',
    rationale: `${SHARED_RATIONALE} This rule checks the functions you declare as sources with category "other".`,
    fixable: false,
    hasSuggestions: false,
  }),
  'python/hook-not-imported': rule({
    id: 'python/hook-not-imported',
    engine: 'python',
    category: 'other',
    reports: 'hook',
    defaultSeverity: 'warning',
    description: 'A module registers SnapStart runtime hooks but no handler imports it, so the hooks never run',
    rationale:
      'snapshot_restore_py hooks are registered when the module that calls register_before_snapshot/register_after_restore is imported. ' +
      'A hook module that the handler module never imports (directly or through other modules) registers nothing, silently.',
    fixable: false,
    hasSuggestions: false,
  }),
  'dynamic/duplicate': rule({
    id: 'dynamic/duplicate',
    engine: 'harness',
    category: 'other',
    reports: 'value',
    defaultSeverity: 'error',
    description: 'A value proved to repeat across clones restored from one snapshot, with no static finding on its path',
    rationale:
      `${SHARED_RATIONALE} snapstart-scan --confirm ran the handler in clones restored from a real snapshot and in cold starts: ` +
      'this value differed between cold starts but was identical in two or more clones, so it came from state the snapshot captured. ' +
      'No static rule pointed at the code that made it (a library call, a computed name, a runtime the scanner does not model).',
    fixable: false,
    hasSuggestions: false,
  }),
} as const satisfies Record<string, RuleMeta>;

export type RuleId = keyof typeof RULES;

/**
 * Ids that earlier 0.1 builds used, before every language named a rule the same way: a config
 * naming one still works (snapstart-scan says which id replaced it).
 */
export const RENAMED_RULE_IDS: Readonly<Record<string, RuleId>> = {
  'java/init-uuid': 'java/no-init-uuid',
  'java/init-random': 'java/no-init-random',
  'java/init-time': 'java/no-init-time',
  'java/init-secret': 'java/no-init-secret',
  'java/init-custom': 'java/no-init-custom-source',
  'python/init-uuid': 'python/no-init-uuid',
  'python/init-random': 'python/no-init-random',
  'python/init-time': 'python/no-init-time',
  'python/init-secret': 'python/no-init-secret',
};

/** The id as findings, SARIF and configs carry it: an ESLint rule under the plugin's prefix (`snapstart/no-init-uuid`), others as they are. */
export function reportedRuleId(rule: RuleMeta): string {
  return rule.engine === 'eslint' ? `snapstart/${rule.id}` : rule.id;
}

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

export function rulesForEngine(engine: RuleEngine): RuleMeta[] {
  return Object.values(RULES).filter((r: RuleMeta) => r.engine === engine);
}

/** The rule that reports unique values of a category for an engine. */
export function ruleForCategory(engine: RuleEngine, category: Category): RuleMeta {
  const found = Object.values(RULES).find(
    (r: RuleMeta) => r.engine === engine && r.category === category && r.reports === 'value',
  );
  if (!found) throw new Error(`no ${engine} rule for category ${category}`);
  return found;
}
