import { describe, expect, it } from 'vitest';
import { HANDLER_IMPORTS, scanSources, summary } from './helpers.js';

/** A handler in package `pkg` whose constructor stores `body`'s value in `id` (line 8; `imports`: one line). */
function handler(pkg: string, imports: string, body: string, name = 'H'): string {
  return `package ${pkg};
${HANDLER_IMPORTS}${imports || '// (no imports)\n'}public class ${name} implements RequestHandler<String, String> {
  private final Object id;
  public ${name}() {
    id = ${body};
  }
  public String handleRequest(String in, Context c) { return in + id; }
}
`;
}

describe('java-scanner: several modules and repositories in one scan', () => {
  it('analyses classes with the same package and name in two modules separately (identical copies too)', async () => {
    const copy = handler('app', 'import java.util.UUID;\n', 'UUID.randomUUID()');
    const result = await scanSources({
      'svc-a/src/main/java/app/H.java': copy,
      'svc-b/src/main/java/app/H.java': copy,
      'svc-c/src/main/java/app/H.java': handler('app', '', 'System.currentTimeMillis()'),
    });
    expect(summary(result)).toEqual([
      'svc-a/src/main/java/app/H.java:8 java/no-init-uuid id',
      'svc-b/src/main/java/app/H.java:8 java/no-init-uuid id',
      'svc-c/src/main/java/app/H.java:8 java/no-init-time id',
    ]);
  });

  it("resolves a same-named helper within the caller's own module first", async () => {
    const helper = (value: string): string => `package app;\npublic final class Ids {\n  public static Object make() { return ${value}; }\n}\n`;
    const result = await scanSources({
      'svc-a/src/main/java/app/H.java': handler('app', '', 'Ids.make()'),
      'svc-a/src/main/java/app/Ids.java': helper('java.util.UUID.randomUUID()'),
      'svc-b/src/main/java/app/H.java': handler('app', '', 'Ids.make()'),
      'svc-b/src/main/java/app/Ids.java': helper('"fixed"'),
    });
    expect(summary(result)).toEqual(['svc-a/src/main/java/app/H.java:8 java/no-init-uuid id']);
    expect(result.findings[0]!.message).toContain('(in `Ids`, line 3)');
  });

  it('finds nested classes and suppressions in the right copy of a duplicated outer class', async () => {
    const outer = (suppressed: boolean): string => `package app;
${HANDLER_IMPORTS}import java.util.UUID;
${suppressed ? '@SuppressWarnings("snapstart")\n' : ''}public class Outer {
  public static class H implements RequestHandler<String, String> {
    private final UUID id = UUID.randomUUID();
    public String handleRequest(String in, Context c) { return in + id; }
  }
}
`;
    const result = await scanSources({ 'a/src/main/java/app/Outer.java': outer(true), 'b/src/main/java/app/Outer.java': outer(false) });
    expect(summary(result)).toEqual(['b/src/main/java/app/Outer.java:7 java/no-init-uuid id']);
  });

  it('never resolves a type by its simple name alone: an imported library type is not a project class of that name', async () => {
    // Repository X has its own `Builder`, whose build() makes an id.
    const ownBuilder = 'package com.x;\nimport java.util.UUID;\npublic class Builder {\n  public String build() { return UUID.randomUUID().toString(); }\n}\n';
    // Repository Y uses an AWS SDK builder of the same simple name.
    const awsUser = handler(
      'com.y',
      'import software.amazon.awssdk.utils.builder.Builder;\n',
      'newBuilder().build()',
    ).replace('  public String handleRequest', '  private static Builder newBuilder() { return null; }\n  public String handleRequest');
    const viaLocal = handler('com.z', 'import software.amazon.awssdk.utils.builder.Builder;\n', 'b.build()', 'Z').replace(
      '    id = b.build();',
      '    Builder b = software.amazon.awssdk.services.s3.S3Client.builder();\n    id = b.build();',
    );
    // Not imported and not in the same package: javac would not see com.x.Builder either.
    const notImported = handler('com.w', '', 'w.build()', 'W').replace('    id = w.build();', '    Builder w = make();\n    id = w.build();');
    const result = await scanSources({
      'x/src/main/java/com/x/Builder.java': ownBuilder,
      'y/src/main/java/com/y/H.java': awsUser,
      'z/src/main/java/com/z/Z.java': viaLocal,
      'w/src/main/java/com/w/W.java': notImported,
    });
    expect(summary(result)).toEqual([]);
  });

  it('still resolves project types through single-type imports, the same package, on-demand imports and qualified names', async () => {
    const ids = 'package com.acme.ids;\nimport java.util.UUID;\npublic class IdSource {\n  public static class Nested { public static String make() { return UUID.randomUUID().toString(); } }\n  public String next() { return UUID.randomUUID().toString(); }\n}\n';
    const result = await scanSources({
      'lib/src/main/java/com/acme/ids/IdSource.java': ids,
      'app/src/main/java/com/acme/app/A.java': handler('com.acme.app', 'import com.acme.ids.IdSource;\n', 'new IdSource().next()', 'A'),
      'app/src/main/java/com/acme/app/B.java': handler('com.acme.app', 'import com.acme.ids.*;\n', 'new IdSource().next()', 'B'),
      'app/src/main/java/com/acme/app/C.java': handler('com.acme.app', '', 'new com.acme.ids.IdSource().next()', 'C'),
      'app/src/main/java/com/acme/app/D.java': handler('com.acme.app', 'import com.acme.ids.IdSource;\n', 'IdSource.Nested.make()', 'D'),
      'lib/src/main/java/com/acme/ids/E.java': handler('com.acme.ids', '', 'new IdSource().next()', 'E'),
    });
    expect(summary(result)).toEqual([
      'app/src/main/java/com/acme/app/A.java:8 java/no-init-uuid id',
      'app/src/main/java/com/acme/app/B.java:8 java/no-init-uuid id',
      'app/src/main/java/com/acme/app/C.java:8 java/no-init-uuid id',
      'app/src/main/java/com/acme/app/D.java:8 java/no-init-uuid id',
      'lib/src/main/java/com/acme/ids/E.java:8 java/no-init-uuid id',
    ]);
  });

  it('finds handlers through a superclass named like a class of another repository', async () => {
    const base = (pkg: string, handlerBase: boolean): string =>
      `package ${pkg};\n${HANDLER_IMPORTS}public abstract class Base${handlerBase ? ' implements RequestHandler<String, String>' : ''} {}\n`;
    const sub = (pkg: string): string =>
      `package ${pkg};\nimport java.util.UUID;\npublic class Sub extends Base {\n  private final UUID id = UUID.randomUUID();\n  public String handleRequest(String in, Object c) { return in + id; }\n}\n`;
    const result = await scanSources({
      'p/src/main/java/p/Base.java': base('p', true),
      'p/src/main/java/p/Sub.java': sub('p'),
      'q/src/main/java/q/Base.java': base('q', false),
      'q/src/main/java/q/Sub.java': sub('q'),
    });
    expect(summary(result)).toEqual(['p/src/main/java/p/Sub.java:4 java/no-init-uuid id']);
  });
});
