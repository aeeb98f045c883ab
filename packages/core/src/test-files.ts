/**
 * Test code runs outside the snapshot: no finding is ever reported in it. The ESLint plugin's
 * recommended config ignores these globs, and its analysis skips matching files under any config.
 */
export const TEST_FILE_GLOBS: readonly string[] = [
  '**/*.test.*',
  '**/*.spec.*',
  '**/__tests__/**',
  '**/__mocks__/**',
  '**/test/**',
  '**/tests/**',
];

const TEST_PATH = /(^|\/)(__tests__|__mocks__|tests?)\/|\.(test|spec)\.[^/]*$/;

/** Whether a path (relative to the project root, any separators) is a test file by `TEST_FILE_GLOBS`. */
export function isTestPath(relativePath: string): boolean {
  return TEST_PATH.test(relativePath.replaceAll('\\', '/'));
}
