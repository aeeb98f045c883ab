/**
 * `@snapstart/python-scanner/internal`: the tree-sitter parser and handler-string parsing below
 * the scan API, for snapstart's own tests and benches. Not part of the public API (src/index.ts
 * is): these may change in any release.
 */
export { parseHandlerString } from './analysis/handlers.js';
export { decodeSource, MAX_PARSE_BYTES, parsePythonSource, pythonParser } from './parse.js';
