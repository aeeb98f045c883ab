export { buildSnapshot, type BuildOptions, type SnapshotBuild } from './build.js';
export { findDuplicates, looksUnique, type Duplicate, type DuplicateOrigin } from './duplicates.js';
export { HarnessError } from './errors.js';
export { formatRun } from './report.js';
export { restoreClones, restoreOne, type CloneResult, type CloneStatus, type HarnessRun, type RestoreOptions, type TracedValue } from './restore.js';
export { matchers, toHaveNoDuplicates, type MatcherResult } from './matchers.js';
