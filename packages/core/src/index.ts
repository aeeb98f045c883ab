export * from './categories.js';
export * from './finding.js';
export * from './rules.js';
