import { isCategory, SOURCE_CATEGORIES, type Category } from '@snapstart/core';
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
}

export interface ResolvedOptions {
  readonly sources: readonly CustomSource[];
  readonly handlerNames: readonly string[];
  readonly afterRestoreFunctions: readonly string[];
  readonly afterRestoreMethods: readonly string[];
  readonly ignore: readonly string[];
  readonly tests: boolean;
}

export const DEFAULT_OPTIONS: ResolvedOptions = {
  sources: [],
  handlerNames: ['handler', 'lambdaHandler', 'main'],
  afterRestoreFunctions: ['registerAfterRestore'],
  afterRestoreMethods: ['afterRestore'],
  ignore: [],
  tests: false,
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
  },
};

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
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
      category: category as Category,
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
    };
  }
  return resolved;
}
