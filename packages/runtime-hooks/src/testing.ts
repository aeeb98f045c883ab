/**
 * `@snapstart/runtime-hooks/testing`: helpers for test suites, kept out of the package root so
 * that production code cannot reach them by accident.
 */
import { registry } from './registry.js';

/** Removes every registered hook (between tests). */
export function resetHooksForTesting(): void {
  const r = registry();
  r.beforeSnapshot.length = 0;
  r.afterRestore.length = 0;
}
