export { scanPython, scanPythonProject, PYTHON_SKIPPED_DIRECTORIES, type PythonScanOptions, type PythonScanResult } from './scan.js';
export type { PythonCustomSource } from './analysis/sources.js';
export { parseHandlerString } from './analysis/handlers.js';
export { parsePythonSource, pythonParser, decodeSource, MAX_PARSE_BYTES } from './parse.js';
