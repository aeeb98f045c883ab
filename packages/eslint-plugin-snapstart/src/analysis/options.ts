// The options every snapstart rule takes (also `settings.snapstart`): their types, defaults, JSON
// schema and resolution. `scriptFiles`/`handlerFiles` carry what the repository says about files
// (snapstart-scan fills them). See docs/rules/no-init-uuid.md#options.
import { isCategory, SOURCE_CATEGORIES } from '@snapstart/core';
import type { JSONSchema } from '@typescript-eslint/utils';
import type { CustomSource } from './sources.js';

/** Options shared by every rule; set once in `settings.snapstart` or per rule. */
export interface SnapstartOptions {
  /** Extra functions that create unique values. */
  readonly sources?: readonly CustomSource[];
  /** Names of exported handler functions (used in messages). Default: handler, lambdaHandler, main. */
  readonly handlerNames?: readonly string[];
  /** Functions that register an after-restore callback. Default: registerAfterRestore. */
  readonly afterRestoreFunctions?: readonly string[];
  /** Methods that are after-restore callbacks (CRaC style). Default: afterRestore. */
  readonly afterRestoreMethods?: readonly string[];
  /** Regular expressions; a value stored in a binding or property whose name matches is not reported. */
  readonly ignore?: readonly string[];
  /** Analyze test files too (skipped by default, whatever the config: tests do not run in the snapshot). */
  readonly tests?: boolean;
  /**
   * Files the repository runs as scripts (CI steps, `package.json` scripts): not function code.
   * Absolute, or relative to ESLint's working directory. snapstart-scan fills it from the repository.
   */
  readonly scriptFiles?: readonly string[];
  /**
   * Files that deployment descriptors (SAM/CloudFormation `Handler:`, serverless.yml `handler:`, CDK
   * `handler:`/`entry:`) name as handlers, with the exported function: function code whatever
   * their name or shape, and `handler` is a handler name in them. Paths as for `scriptFiles`.
   */
  readonly handlerFiles?: readonly HandlerFile[];
}

/** A file a deployment descriptor names as a function's handler. */
export interface HandlerFile {
  readonly file: string;
  /** The exported function (`index.lambdaHandler` → lambdaHandler). */
  readonly handler: string;
}

export interface ResolvedOptions {
  readonly sources: readonly CustomSource[];
  readonly handlerNames: readonly string[];
  readonly afterRestoreFunctions: readonly string[];
  readonly afterRestoreMethods: readonly string[];
  readonly ignore: readonly string[];
  readonly tests: boolean;
  readonly scriptFiles: readonly string[];
  readonly handlerFiles: readonly HandlerFile[];
}

export const DEFAULT_OPTIONS: ResolvedOptions = {
  sources: [],
  handlerNames: ['handler', 'lambdaHandler', 'main'],
  afterRestoreFunctions: ['registerAfterRestore'],
  afterRestoreMethods: ['afterRestore'],
  ignore: [],
  tests: false,
  scriptFiles: [],
  handlerFiles: [],
};

/** JSON schema of one options object, with a description per option (shown by editors). */
export const OPTIONS_SCHEMA: JSONSchema.JSONSchema4ObjectSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sources: {
      type: 'array',
      description: 'Extra functions that create unique values.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'category'],
        properties: {
          module: { type: 'string', description: 'Module specifier the function is imported from; omit for a global.' },
          name: { type: 'string', description: "Dotted export path, '' for a module whose export is the function itself." },
          category: { type: 'string', enum: [...SOURCE_CATEGORIES], description: 'Category of the value.' },
          noArgs: { type: 'boolean', description: 'Only a source when called without arguments.' },
        },
      },
    },
    handlerNames: { type: 'array', items: { type: 'string' }, description: 'Names of exported handler functions.' },
    afterRestoreFunctions: {
      type: 'array',
      items: { type: 'string' },
      description: 'Functions that register an after-restore callback (default: registerAfterRestore).',
    },
    afterRestoreMethods: {
      type: 'array',
      items: { type: 'string' },
      description: 'Methods that are after-restore callbacks, CRaC style (default: afterRestore).',
    },
    ignore: {
      type: 'array',
      items: { type: 'string' },
      description: 'Regular expressions matched against the name of the binding or property that stores the value.',
    },
    tests: { type: 'boolean', description: 'Analyze test files too (skipped by default).' },
    scriptFiles: {
      type: 'array',
      items: { type: 'string' },
      description: 'Files the repository runs as scripts (CI steps, package.json scripts): not function code. Absolute or relative to the working directory.',
    },
    handlerFiles: {
      type: 'array',
      description: 'Files deployment descriptors name as handlers, with the exported handler function.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'handler'],
        properties: {
          file: { type: 'string', description: 'Absolute, or relative to the working directory.' },
          handler: { type: 'string', description: 'Name of the exported handler function.' },
        },
      },
    },
  },
};

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value) : undefined;
}

function handlerFilesOf(value: unknown): HandlerFile[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return (value as unknown[]).flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const { file, handler } = item as Record<string, unknown>;
    return typeof file === 'string' && typeof handler === 'string' ? [{ file, handler }] : [];
  });
}

function sourcesOf(value: unknown): CustomSource[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: CustomSource[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { module, name, category, noArgs } = item as Record<string, unknown>;
    if (typeof name !== 'string' || !isCategory(category)) continue;
    out.push({
      name,
      category: category,
      ...(typeof module === 'string' ? { module } : {}),
      ...(noArgs === true ? { noArgs: true } : {}),
    });
  }
  return out;
}

/** Rule options win over `settings.snapstart`, which wins over the defaults; lists are replaced, not merged. */
export function resolveOptions(settings: unknown, ruleOptions: unknown): ResolvedOptions {
  const layers = [settings, ruleOptions].filter(
    (l): l is Record<string, unknown> => typeof l === 'object' && l !== null && Object.keys(l).length > 0,
  );
  // The common case: no options anywhere. Returning the shared default lets caches key on identity.
  if (layers.length === 0) return DEFAULT_OPTIONS;
  let resolved: ResolvedOptions = DEFAULT_OPTIONS;
  for (const layer of layers) {
    resolved = {
      sources: sourcesOf(layer['sources']) ?? resolved.sources,
      handlerNames: strings(layer['handlerNames']) ?? resolved.handlerNames,
      afterRestoreFunctions: strings(layer['afterRestoreFunctions']) ?? resolved.afterRestoreFunctions,
      afterRestoreMethods: strings(layer['afterRestoreMethods']) ?? resolved.afterRestoreMethods,
      ignore: strings(layer['ignore']) ?? resolved.ignore,
      tests: typeof layer['tests'] === 'boolean' ? layer['tests'] : resolved.tests,
      scriptFiles: strings(layer['scriptFiles']) ?? resolved.scriptFiles,
      handlerFiles: handlerFilesOf(layer['handlerFiles']) ?? resolved.handlerFiles,
    };
  }
  return resolved;
}
