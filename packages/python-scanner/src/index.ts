export { scanPython, scanPythonProject, PYTHON_SKIPPED_DIRECTORIES, type PythonScanOptions, type PythonScanResult } from './scan.js';
export type { PythonCustomSource } from './analysis/sources.js';
