export { scanJava, scanJavaProject, DEFAULT_JAVA_EXCLUDES, JAVA_TEST_FILE_GLOBS, type JavaScanOptions, type JavaScanResult } from './scan.js';
export type { JavaCustomSource } from './analysis/sources.js';
export { parseJavaSource, decodeSource, MAX_PARSE_BYTES } from './parse.js';
export type { JFile, JClass } from './model/types.js';
