import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanJava, scanJavaProject } from '../src/index.js';
import { HANDLER_IMPORTS, scanSources, summary } from './helpers.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const GOOD = `package app;\n${HANDLER_IMPORTS}import java.util.UUID;\npublic class H implements RequestHandler<String, String> {\n  private final UUID id = UUID.randomUUID();\n  public String handleRequest(String s, Context c) { return s + id; }\n}\n`;

describe('java-scanner robustness', () => {
  it("reports an unparsable file as one diagnostic with its position and java-parser's own message, and scans the rest", async () => {
    const broken = 'package app;\nimport java.util.UUID;\npublic class Broken {\n  void m( { UUID.randomUUID(); }\n}\n';
    const twoPackages = 'package app;\nclass A { java.util.UUID u; }\npackage other;\n';
    const result = await scanSources({ 'app/Broken.java': broken, 'app/H.java': GOOD, 'app/Two.java': twoPackages });
    expect(result.diagnostics).toEqual([
      {
        file: 'app/Broken.java',
        line: 4,
        column: 11,
        message: "cannot parse: expecting one of 'byte' | 'short' | 'int' | 'long' | 'char' | 'float' | … (6 more) but found: '{' (in a method declarator)",
      },
      { file: 'app/Two.java', line: 3, column: 1, message: 'cannot parse: redundant input, expecting EOF but found: package' },
    ]);
    expect(summary(result)).toEqual(['app/H.java:6 java/no-init-uuid id']);
  });

  it('skips Maven archetype templates by default, and paths matching exclude patterns', async () => {
    // An archetype template: `${package}` placeholders make it unparsable as Java.
    const template = 'package ${package};\nimport java.util.UUID;\npublic class App { static final UUID ID = UUID.randomUUID(); }\n';
    const files = {
      'my-archetype/src/main/resources/archetype-resources/src/main/java/App.java': template,
      'app/H.java': GOOD,
      'generated/app/G.java': GOOD.replace('class H', 'class G'),
    };
    const byDefault = await scanSources(files);
    expect(byDefault.diagnostics).toEqual([]);
    expect(byDefault.stats).toMatchObject({ files: 2, excluded: 1 });
    expect(summary(byDefault)).toEqual(['app/H.java:6 java/no-init-uuid id', 'generated/app/G.java:6 java/no-init-uuid id']);

    const excluded = await scanSources(files, { exclude: ['generated/**'] });
    expect(excluded.stats).toMatchObject({ files: 1, excluded: 2 });
    expect(summary(excluded)).toEqual(['app/H.java:6 java/no-init-uuid id']);

    const everything = await scanSources(files, { defaultExcludes: false });
    expect(everything.diagnostics).toEqual([
      {
        file: 'my-archetype/src/main/resources/archetype-resources/src/main/java/App.java',
        line: 1,
        column: 1,
        message: 'cannot parse: redundant input, expecting EOF but found: package',
      },
    ]);
  });

  it('handles empty files, package-only files and module-info.java', async () => {
    const result = await scanSources({
      'app/Empty.java': '',
      'app/package-info.java': '/** docs */\npackage app;\n',
      'module-info.java': 'module app { requires java.base; }\n',
      'app/H.java': GOOD,
    });
    expect(result.diagnostics).toEqual([]);
    expect(summary(result)).toEqual(['app/H.java:6 java/no-init-uuid id']);
  });

  it('skips a 5 MB generated file without a source (never parsed) and scans the rest', async () => {
    const filler = Array.from({ length: 60_000 }, (_, i) => `  int f${i}(int x) { return x * ${i} + 1; }`).join('\n');
    const huge = `package app;\npublic class Huge {\n${filler}\n}\n`;
    expect(huge.length).toBeGreaterThan(5 * 1024 * 1024 / 2);
    const doubled = huge + huge.replaceAll('Huge', 'Huge2');
    expect(doubled.length).toBeGreaterThan(5 * 1024 * 1024);
    const result = await scanSources({ 'app/Huge.java': doubled, 'app/H.java': GOOD });
    expect(result.stats.parsed).toBe(1);
    expect(summary(result)).toEqual(['app/H.java:6 java/no-init-uuid id']);
  });

  it('refuses files over the size limit with a diagnostic', async () => {
    const result = await scanSources({ 'app/Giant.java': Buffer.alloc(9 * 1024 * 1024, 0x20), 'app/H.java': GOOD });
    expect(result.diagnostics[0]?.message).toMatch(/over the 8 MiB limit/);
    expect(summary(result)).toEqual(['app/H.java:6 java/no-init-uuid id']);
  });

  it('reads non-UTF-8 (Latin-1) sources and skips binary files', async () => {
    const latin1 = Buffer.concat([Buffer.from('// Auteur: Ren'), Buffer.from([0xe9]), Buffer.from('\n'), Buffer.from(GOOD)]);
    const binary = Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34, 0, 1, 2]);
    const result = await scanSources({ 'app/H.java': latin1, 'app/Compiled.java': binary });
    expect(result.diagnostics).toEqual([{ file: 'app/Compiled.java', message: 'skipped: binary file (contains NUL bytes), not Java source' }]);
    expect(summary(result)).toEqual(['app/H.java:7 java/no-init-uuid id']);
  });

  it('reports a missing path and goes on', async () => {
    const diagnostics: unknown[] = [];
    const findings = await scanJava(['does-not-exist', 'examples/java-log-stream'], { cwd: repoRoot, onDiagnostic: (d) => diagnostics.push(d) });
    expect(diagnostics).toEqual([{ file: 'does-not-exist', message: 'cannot read: ENOENT' }]);
    expect(findings).toHaveLength(1);
  });
});

describe('examples/java-uuid-handler (proven on the linux engine)', () => {
  it('finds the init UUID and PRNG of the bug, and nothing in the fixed version, whose afterRestore re-creates one and reseeds the other from SecureRandom', async () => {
    const result = await scanJavaProject(['examples/java-uuid-handler'], { cwd: repoRoot });
    const dir = 'examples/java-uuid-handler/src/main/java/example';
    expect(summary(result)).toEqual([`${dir}/UuidHandler.java:16 java/no-init-uuid INSTANCE_ID`, `${dir}/UuidHandler.java:17 java/no-init-random RANDOM`]);
  });
});

describe('examples/java-log-stream (the SnapStart article)', () => {
  it('finds the sandbox id created in the constructor, and nothing in the CRaC-fixed version', async () => {
    const result = await scanJavaProject(['examples/java-log-stream'], { cwd: repoRoot });
    expect(summary(result)).toEqual(['examples/java-log-stream/src/main/java/example/LambdaUsingUUID.java:17 java/no-init-uuid sandboxId']);
    expect(result.findings[0]!.message).toBe(
      '`sandboxId` (field of `LambdaUsingUUID`) is assigned a value derived from `UUID.randomUUID()` during init ' +
        '(constructor of `LambdaUsingUUID` (line 16), handler class `LambdaUsingUUID` (implements RequestHandler)). ' +
        'Every execution environment restored from the snapshot shares it.',
    );
  });

  it('gives the same answer with worker threads as in-thread', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 40; i++) many[`app/H${i}.java`] = GOOD.replaceAll('class H ', `class H${i} `);
    const threaded = await scanSources(many, { workers: 2 });
    const inline = await scanSources(many, { workers: 1 });
    expect(summary(threaded)).toEqual(summary(inline));
    expect(threaded.findings).toHaveLength(40);
  });
});
