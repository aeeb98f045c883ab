export { scanJava, scanJavaProject, DEFAULT_JAVA_EXCLUDES, JAVA_TEST_FILE_GLOBS, type JavaScanOptions, type JavaScanResult } from './scan.js';
export type { JavaCustomSource } from './analysis/sources.js';
