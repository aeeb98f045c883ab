// The fast path (snapstart's rules run directly on the parsed file) must give exactly what running
// them through ESLint gives: same findings (messages, positions, severities, fixes, suggestions),
// same parse errors. Compared file by file over the examples and files chosen for their edges.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ScanConfig } from '../src/config/schema.js';
import { directPathApplies } from '../src/engines/direct.js';
import { createFileLinter } from '../src/engines/eslint.js';
import type { EngineSettings, FileRef } from '../src/engines/job.js';
import { makeRepo, REPO_ROOT, TS_BUG } from './helpers.js';

const EDGES: Record<string, string> = {
  'edges/syntax-error.ts': 'export const handler = async () => {\n  return { id: ;\n};\n',
  'edges/syntax-error.js': 'const x = ;\n',
  'edges/module-scope.cjs': `const crypto = require('crypto');\nlet bootTime = Date.now();\nconst token = crypto.randomBytes(8).toString('hex');\nfunction sign(x) { return x + token; }\nexports.handler = async (e) => ({ at: bootTime, s: sign(e) });\n`,
  'edges/component.jsx': `import { randomUUID } from 'crypto';\nconst key = randomUUID();\nexport const View = () => <div key={key}>{Math.random()}</div>;\nexport const handler = () => key;\n`,
  'edges/component.tsx': `import { randomUUID } from 'crypto';\nconst key: string = randomUUID();\nexport const View = (): JSX.Element => <div>{key}</div>;\nexport const handler = () => key;\n`,
  'edges/bom.ts': `\uFEFF${TS_BUG}`,
  'edges/shebang-handler.mjs': `#!/usr/bin/env node\nimport { randomUUID } from 'node:crypto';\nconst id = randomUUID();\nexport const handler = () => id;\n`,
  'edges/getters.ts': `import { randomUUID } from 'crypto';\nclass S { #id?: string; get id() { return (this.#id ??= randomUUID({ disableEntropyCache: true })); } }\nconst s = new S();\nconsole.log(s.id);\nexport const handler = async () => s.id;\n`,
  'edges/sdk.mts': `import { DynamoDB } from '@aws-sdk/client-dynamodb';\nconst ddb = new DynamoDB({});\nawait ddb.describeTable({ TableName: 't' });\nexport const handler = async () => 1;\n`,
  'edges/ttl.js': `let loadedAt = Date.now();\nexport const handler = () => (Date.now() - loadedAt > 1000 ? 'stale' : 'fresh');\n`,
  'edges/cdk.ts': `import * as cdk from 'aws-cdk-lib';\nconst app = new cdk.App();\nnew cdk.Stack(app, 'S' + crypto.randomUUID());\n`,
  'edges/custom-source.ts': `import { newId } from '@acme/ids';\nconst id = newId();\nexport const handler = () => id;\n`,
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(name)) out.push(path);
  }
  return out;
}

const repo = makeRepo(EDGES);
afterAll(() => repo.cleanup());

const config: ScanConfig = {
  ...DEFAULT_CONFIG,
  sources: [{ language: 'javascript', module: '@acme/ids', name: 'newId', category: 'uuid' }],
  rules: { 'snapstart/no-init-time': 'error', 'snapstart/no-init-secret': 'off' },
};

async function lintAll(direct: boolean, root: string, files: readonly string[]) {
  const settings: EngineSettings = { root, config, useEslintConfig: false, prefilter: false, direct };
  const linter = await createFileLinter(settings);
  const refs: FileRef[] = files.map((abs) => ({ abs, path: relative(root, abs) }));
  return linter.lint({ kind: 'lint', files: refs });
}

describe('direct rule runs match ESLint', () => {
  it.each([
    ['the examples', REPO_ROOT, sourceFiles(join(REPO_ROOT, 'examples')), 0],
    ['edge cases (parse errors, CommonJS, JSX/TSX, BOM, shebang, getters, SDK, custom sources, rule levels)', repo.dir, Object.keys(EDGES).map((f) => join(repo.dir, f)), 2],
  ] as const)('%s', async (_label, root, files, parseErrors) => {
    const viaEslint = await lintAll(false, root, files);
    const direct = await lintAll(true, root, files);
    expect(viaEslint.findings.length).toBeGreaterThan(5);
    expect(viaEslint.diagnostics.filter((d) => d.message.startsWith('cannot parse: Parsing error:'))).toHaveLength(parseErrors);
    expect(direct.findings).toEqual(viaEslint.findings);
    expect(direct.diagnostics).toEqual(viaEslint.diagnostics);
    expect(direct.suppressed).toBe(viaEslint.suppressed);
  });

  it('leaves files with ESLint directive comments to ESLint', () => {
    expect(directPathApplies(TS_BUG)).toBe(true);
    expect(directPathApplies(`// eslint-disable-next-line snapstart/no-init-uuid\n${TS_BUG}`)).toBe(false);
    expect(directPathApplies(`/* eslint snapstart/no-init-uuid: off */\n${TS_BUG}`)).toBe(false);
    expect(directPathApplies(`/* global myId */\n${TS_BUG}`)).toBe(false);
  });
});
