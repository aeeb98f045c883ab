// False-positive benchmark on real published Lambda code (issue #12): the ESLint plugin's
// recommended config over the ESM builds of @aws-lambda-powertools/*, @middy/*, and the AWS SDK v3
// packages (@aws-sdk/*, @smithy/*) installed here (dev dependencies of this repository). This is library code that runs during every user's init, so
// what the rules report in it is what users see. Prints files, lines, findings per 10,000 lines by
// rule, and every finding, so the number can be followed over time.
//
// SNAPSTART_PLUGIN=path/to/dist/index.js runs another build of the plugin (to compare before/after).
//
// Second part (issue #20): the shapes that scanning twelve public repositories showed — a script a
// CI step runs, a hand-run benchmark, a container library with a debug timer and a class shaped like
// a handler, a provider whose cache lookup reads the clock, a handler only a deployment descriptor
// names, init work hidden behind Powertools and middy — written as one small repository (our own
// code in those repositories' shapes) and scanned the way a user scans, with snapstart-scan. Each
// expected finding is listed; any other finding is a false positive. Prints findings by rule, false
// positives and misses, and false positives per 10,000 lines over both parts.
// SNAPSTART_SCAN=path/to/snapstart-scan/dist/index.js runs another build of the scanner.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('..', import.meta.url));
const pluginPath = process.env.SNAPSTART_PLUGIN ?? join(root, 'node_modules/eslint-plugin-snapstart/dist/index.js');
const plugin = (await import(pathToFileURL(pluginPath).href)).default;

/** Published packages (every package of these scopes) and the folder of each that holds its ESM build (one build: no double counting). */
const SCOPES = ['@aws-lambda-powertools', '@middy', '@aws-sdk', '@smithy'];
const PACKAGES = SCOPES.flatMap((scope) =>
  readdirSync(join(root, 'node_modules', scope)).map((p) => {
    const dir = join(root, 'node_modules', scope, p);
    const sub = ['lib/esm', 'dist-es', '.'].find((d) => existsSync(join(dir, d)));
    return [`${scope}/${p}`, sub];
  }),
);

function jsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) out.push(...jsFiles(path));
    else if (/\.(c|m)?js$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = [];
const versions = [];
for (const [name, sub] of PACKAGES) {
  const dir = join(root, 'node_modules', name);
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  versions.push(`${name}@${version}`);
  files.push(...jsFiles(join(dir, sub)));
}
const lines = files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  // The files are under node_modules on purpose: un-ignore it (a global ignores entry).
  overrideConfig: [{ ignores: ['!**/node_modules/'] }, { languageOptions: { sourceType: 'module' } }, plugin.configs.recommended],
});
// Canary: the same setup must report the known bugs of an example, or the rules are not running.
const [canary] = await eslint.lintFiles([join(root, 'examples/session-tokens/handler.cjs')]);
if (canary.messages.filter((m) => m.ruleId?.startsWith('snapstart/')).length < 3) throw new Error(`the rules did not run: ${JSON.stringify(canary.messages)}`);
const t0 = performance.now();
const results = await eslint.lintFiles(files);
const ms = performance.now() - t0;

const byRule = new Map();
const listed = [];
for (const r of results) {
  for (const m of r.messages) {
    if (!m.ruleId && !m.fatal) throw new Error(`${r.filePath}: ${m.message}`);
    const rule = m.ruleId ?? '(parse error)';
    byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    listed.push(`    ${relative(join(root, 'node_modules'), r.filePath)}:${m.line}:${m.column}  ${rule}  ${m.message.slice(0, 160)}`);
  }
}
const total = listed.length;
console.log(`real-code: ${files.length} files, ${lines} lines of published Lambda libraries (${relative(root, pluginPath)})`);
console.log(`  ${versions.join(', ')}`);
console.log(`  ${total} findings, ${((total / lines) * 10000).toFixed(2)} per 10,000 lines, linted in ${(ms / 1000).toFixed(1)} s`);
for (const [rule, n] of [...byRule].sort()) console.log(`  ${rule.padEnd(34)} ${String(n).padStart(4)}  ${((n / lines) * 10000).toFixed(2)} per 10,000 lines`);
for (const l of listed) console.log(l);

// ---- Part 2: repository shapes (issue #20) ----
const scanPath = process.env.SNAPSTART_SCAN ?? join(root, 'packages/snapstart-scan/dist/index.js');
const { scan, DEFAULT_CONFIG } = await import(pathToFileURL(scanPath).href);
const JAVA_LAMBDA = 'import com.amazonaws.services.lambda.runtime.Context;\n';
/** path → content. */
const SHAPES = {
  // A CI step runs a schema migration: five SDK requests at top level, one root cause.
  '.github/workflows/deploy.yml': 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: node src/updateSchema.mjs\n',
  'src/updateSchema.mjs': [
    "import { DynamoDBClient, DescribeTableCommand, UpdateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';",
    'const client = new DynamoDBClient({});',
    "const table = await client.send(new DescribeTableCommand({ TableName: 'orders' }));",
    "await client.send(new UpdateTableCommand({ TableName: 'orders', BillingMode: 'PAY_PER_REQUEST' }));",
    "await client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'schema' }, v: { N: '2' } } }));",
    "await client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'seed' }, v: { N: '1' } } }));",
    "await client.send(new DescribeTableCommand({ TableName: 'orders' }));",
    "console.log('migrated', table.Table?.TableName);",
    '',
  ].join('\n'),
  // A benchmark run by hand against a local server.
  'bench.js': "import { randomUUID } from 'node:crypto';\nconst runId = randomUUID();\nconst t0 = Date.now();\nfor (let i = 0; i < 100; i++) await fetch(`http://localhost:3000/orders?run=${runId}`);\nconsole.log(runId, Date.now() - t0);\n",
  // A container library: a debug timer (off unless enabled) and a class shaped like a handler.
  'container/src/main/java/com/example/container/testutils/Timer.java': [
    'package com.example.container.testutils;',
    'import java.util.LinkedHashMap;',
    'import java.util.Map;',
    'public final class Timer {',
    '  private static Map<String, Long> timers = new LinkedHashMap<>();',
    '  private volatile static boolean enabled = false;',
    '  public static void start(String name) {',
    '    if (!enabled) {',
    '      return;',
    '    }',
    '    timers.put(name, System.currentTimeMillis());',
    '  }',
    '  public static long stop(String name) { return enabled ? System.currentTimeMillis() - timers.get(name) : 0L; }',
    '  public static void enable() { enabled = true; }',
    '}',
    '',
  ].join('\n'),
  'container/src/main/java/com/example/container/JerseyLambdaContainerHandler.java': [
    'package com.example.container;',
    JAVA_LAMBDA + 'import com.example.container.testutils.Timer;',
    'import java.util.UUID;',
    'public class JerseyLambdaContainerHandler {',
    '  private final String containerId = UUID.randomUUID().toString();',
    '  public static JerseyLambdaContainerHandler getAwsProxyHandler(Object app) { return new JerseyLambdaContainerHandler(app); }',
    '  JerseyLambdaContainerHandler(Object app) { Timer.start("JERSEY_CONTAINER_CONSTRUCTOR"); }',
    '  public String proxy(String request, Context context) { return containerId + request; }',
    '}',
    '',
  ].join('\n'),
  'sample/template.yaml': 'Resources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: .\n      Handler: com.example.sample.StreamLambdaHandler::handleRequest\n      Runtime: java21\n',
  'sample/src/main/java/com/example/sample/StreamLambdaHandler.java': [
    'package com.example.sample;',
    JAVA_LAMBDA + 'import com.amazonaws.services.lambda.runtime.RequestStreamHandler;',
    'import com.example.container.JerseyLambdaContainerHandler;',
    'import com.example.container.testutils.Timer;',
    'public class StreamLambdaHandler implements RequestStreamHandler {',
    '  private static JerseyLambdaContainerHandler handler;',
    '  static { Timer.start("SAMPLE_INIT"); }',
    '  public void handleRequest(java.io.InputStream in, java.io.OutputStream out, Context c) {',
    '    if (handler == null) handler = JerseyLambdaContainerHandler.getAwsProxyHandler(new Object());',
    '  }',
    '}',
    '',
  ].join('\n'),
  // A parameters provider whose cache lookup takes the clock only to check expiry (powertools-lambda-java's shape).
  'params/src/main/java/com/example/params/ParametersFunction.java': [
    'package com.example.params;',
    JAVA_LAMBDA + 'import com.amazonaws.services.lambda.runtime.RequestHandler;',
    'import java.util.Map;',
    'public class ParametersFunction implements RequestHandler<String, String> {',
    '  SSMProvider ssmProvider = SSMProvider.builder().build();',
    '  Map<String, String> allValues = ssmProvider.getMultiple("/app/sample");',
    '  public String handleRequest(String s, Context c) { return allValues.get(s); }',
    '}',
    '',
  ].join('\n'),
  'params/src/main/java/com/example/params/SSMProvider.java': [
    'package com.example.params;',
    'import java.time.Clock;',
    'import java.time.Instant;',
    'import java.util.HashMap;',
    'import java.util.Map;',
    'import java.util.Optional;',
    'public class SSMProvider {',
    '  private final Clock clock = Clock.systemUTC();',
    '  private final Map<String, Map<String, String>> cache = new HashMap<>();',
    '  private final Map<String, Instant> expiry = new HashMap<>();',
    '  public static Builder builder() { return new Builder(); }',
    '  public static class Builder { public SSMProvider build() { return new SSMProvider(); } }',
    '  public Map<String, String> getMultiple(String path) {',
    '    return getIfNotExpired(path, now()).orElseGet(() -> { Map<String, String> v = new HashMap<>(); cache.put(path, v); return v; });',
    '  }',
    '  private Optional<Map<String, String>> getIfNotExpired(String key, Instant now) {',
    '    Instant until = expiry.get(key);',
    '    if (until != null && until.isAfter(now)) return Optional.of(cache.get(key));',
    '    return Optional.empty();',
    '  }',
    '  private Instant now() { return clock.instant(); }',
    '}',
    '',
  ].join('\n'),
  // A handler only its SAM template names (exported as processOrder, runnable from a shell).
  'orders/template.yaml': 'Resources:\n  Orders:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: functions\n      Handler: orders.processOrder\n      Runtime: nodejs20.x\n',
  'orders/functions/orders.js': "#!/usr/bin/env node\nconst { randomUUID } = require('crypto');\nconst batchId = randomUUID();\nmodule.exports.processOrder = async (event) => ({ batchId, order: event.id });\n",
  // Init work behind libraries: a Powertools parameter awaited at top level, a sampled Logger, middy's SSM prefetch.
  'app/src/handler.mjs': [
    "import { getParameter } from '@aws-lambda-powertools/parameters/ssm';",
    "import { Logger } from '@aws-lambda-powertools/logger';",
    "import middy from '@middy/core';",
    "import ssm from '@middy/ssm';",
    "const tableName = await getParameter('/app/table');",
    "const logger = new Logger({ serviceName: 'orders', sampleRateValue: 0.1 });",
    'export const handler = middy(async (event) => { logger.debug(tableName); return event; })',
    "  .use(ssm({ fetchData: { apiKey: '/app/api-key' } }));",
    '',
  ].join('\n'),
};
/** The true positives: `file:line ruleId`. Anything else is a false positive. */
const EXPECTED = new Set([
  'orders/functions/orders.js:3 snapstart/no-init-uuid',
  'orders/functions/orders.js:3 snapstart/no-init-entropy-cache',
  'app/src/handler.mjs:5 snapstart/no-init-entropy-cache',
  'app/src/handler.mjs:6 snapstart/no-init-entropy-cache',
  'app/src/handler.mjs:8 snapstart/no-init-entropy-cache',
]);
const shapeDir = mkdtempSync(join(tmpdir(), 'snapstart-real-shapes-'));
let shapeLines = 0;
for (const [path, content] of Object.entries(SHAPES)) {
  mkdirSync(dirname(join(shapeDir, path)), { recursive: true });
  writeFileSync(join(shapeDir, path), content);
  if (/\.(m?js|java)$/.test(path)) shapeLines += content.split('\n').length;
}
let shapeFindings;
try {
  const outcome = await scan({ root: shapeDir, paths: ['.'], config: DEFAULT_CONFIG, concurrency: 'off' });
  shapeFindings = outcome.report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
} finally {
  rmSync(shapeDir, { recursive: true, force: true });
}
const shapeByRule = new Map();
for (const f of shapeFindings) {
  const rule = f.slice(f.indexOf(' ') + 1);
  shapeByRule.set(rule, (shapeByRule.get(rule) ?? 0) + 1);
}
const falsePositives = shapeFindings.filter((f) => !EXPECTED.has(f));
const missed = [...EXPECTED].filter((f) => !shapeFindings.includes(f));
console.log(`real-code shapes (issue #20): ${Object.keys(SHAPES).length} files, ${shapeLines} lines of code, scanned with snapstart-scan (${relative(root, scanPath)})`);
console.log(`  ${shapeFindings.length} findings: ${shapeFindings.length - falsePositives.length} expected, ${falsePositives.length} false positives, ${missed.length} of ${EXPECTED.size} expected missed`);
for (const [rule, n] of [...shapeByRule].sort()) console.log(`  ${rule.padEnd(34)} ${String(n).padStart(4)}`);
for (const f of falsePositives) console.log(`    false positive: ${f}`);
for (const f of missed) console.log(`    missed: ${f}`);
const allLines = lines + shapeLines;
const fpPer10k = ((total + falsePositives.length) / allLines) * 10000;
console.log(`  false positives per 10,000 lines (libraries + shapes): ${fpPer10k.toFixed(2)} (${total + falsePositives.length} in ${allLines} lines)`);

export const result = {
  name: 'real-code',
  files: files.length,
  lines,
  findings: total,
  byRule: Object.fromEntries(byRule),
  shapes: { lines: shapeLines, findings: shapeFindings.length, falsePositives: falsePositives.length, missed: missed.length, byRule: Object.fromEntries(shapeByRule) },
  falsePositivesPer10kLines: fpPer10k,
};
