export default { performance: (globalThis as { performance?: unknown }).performance };
