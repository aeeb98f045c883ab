/**
 * `@snapstart/java-scanner/internal`: the parser and its model below the scan API, for snapstart's
 * own tests and benches (parse one source, inspect the compact model). Not part of the public API
 * (src/index.ts is): these may change in any release.
 */
export { decodeSource, MAX_PARSE_BYTES, parseJavaSource } from './parse.js';
export type { JClass, JFile } from './model/types.js';
