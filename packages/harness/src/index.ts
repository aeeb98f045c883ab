export { analyzeRun, findDuplicates, looksUnique, type Analysis, type AnalysisInput } from './duplicates.js';
export type { Engine, EngineInstance, EngineSnapshot, InstanceOptions, InvokeOutcome } from './engines/engine.js';
export { HarnessError } from './errors.js';
export { handlerFingerprint, type HandlerFingerprint } from './fingerprint.js';
export { compileJavaSources } from './engines/linux/functions/java-compile.js';
export { formatRun } from './report.js';
export { buildSnapshot, restoreClones, restoreOne, type BuildOptions, type RestoreOptions } from './run.js';
export type { EngineOptions } from './engines/index.js';
export type { MicrovmOptions } from './engines/microvm/options.js';
export { matchers, toHaveNoDuplicates, type MatcherResult } from './matchers.js';
export { cleanupAll } from './process.js';
export * from './types.js';
export type { InvokeRequest, InvokeResponse, StubRule } from './runtime/protocol.js';
/** @deprecated the engine-neutral name is EngineSnapshot */
export type { EngineSnapshot as SnapshotBuild } from './engines/engine.js';
