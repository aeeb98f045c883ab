export * from './categories.js';
export * from './finding.js';
export * from './rules.js';
export * from './sources.js';
export * from './test-files.js';
