// Benchmark (issue #21): the python-scanner run vs "parse every .py file with tree-sitter, no
// analysis", same run, same files, on a real corpus: the sources of aws-lambda-powertools, boto3
// and botocore from PyPI (downloaded with `pip download` into a temp dir when the bench starts; or
// BENCH_PY_CORPUS=<dir> with unpacked packages), plus a small handler that imports them.
//  - "library sources, no handler": the packages scanned as project code (their *.dist-info
//    removed) — nothing is a handler, so nothing can flow into one;
//  - "libraries as code, with a handler": the same plus a handler that imports them: its imports
//    reach them, the pre-filter has to decide what to parse and init is interpreted through them;
//  - "deployment package": the layout `pip install -t .` leaves (with *.dist-info): the scanner
//    skips vendored packages and analyses only the function's own code.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPythonProject } from '@snapstart/python-scanner';
import { pythonParser } from '@snapstart/python-scanner/internal';
import { interleaved } from './rounds.js';

const ROUNDS = Number(process.env.BENCH_PY_ROUNDS ?? 3);
const PACKAGES = ['aws-lambda-powertools==3.37.0', 'boto3==1.44.18', 'botocore==1.44.18'];

const HANDLER = `import json
import os
import random
import uuid
import boto3
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

logger = Logger(service="bench", sampling_rate=0.1)
tracer = Tracer()
app = APIGatewayRestResolver()
table = boto3.resource("dynamodb").Table(os.environ.get("TABLE", "t"))
INSTANCE = str(uuid.uuid4())


@app.get("/items/<item_id>")
def get_item(item_id):
    return {"item": table.get_item(Key={"id": item_id}).get("Item"), "instance": INSTANCE}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event, context):
    logger.info("jitter %s", random.random())
    return app.resolve(event, context)
`;

function unpackedCorpus() {
  if (process.env.BENCH_PY_CORPUS) return { dir: process.env.BENCH_PY_CORPUS, cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'py-bench-'));
  try {
    execFileSync('pip', ['download', '--quiet', '--no-deps', '--only-binary=:all:', '-d', join(dir, 'wheels'), ...PACKAGES], { stdio: 'inherit' });
    for (const w of readdirSync(join(dir, 'wheels'))) execFileSync('python3', ['-m', 'zipfile', '-e', join(dir, 'wheels', w), join(dir, 'site')]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { error: `cannot download the corpus with pip (${err.message.split('\n')[0]})` };
  }
  return { dir: join(dir, 'site'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function pyFiles(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? (n.endsWith('.dist-info') ? [] : pyFiles(p)) : n.endsWith('.py') ? [p] : [];
  });
}


async function measure(name, dir) {
  const files = pyFiles(dir);
  const lines = files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
  const parser = await pythonParser();
  // The baseline: tree-sitter parses every file (and frees the tree), nothing else.
  const parseEverything = async () => {
    for (const f of files) parser.parse(readFileSync(f, 'utf8'))?.delete();
  };
  const scan = () => scanPythonProject([dir], { cwd: dir });
  await parseEverything();
  await scan();
  const { b, s, last } = await interleaved(ROUNDS, parseEverything, scan);
  console.log(`python-scanner [${name}]: ${files.length} files, ${lines} lines, ${ROUNDS} rounds (medians)`);
  console.log(`  parse every file (tree-sitter wasm, no analysis)   cpu ${b.cpu.toFixed(0)} ms  wall ${b.wall.toFixed(0)} ms  ${(lines / (b.wall / 1000)).toFixed(0)} lines/s`);
  console.log(`  full scan (scanned ${last.stats.files} files; parsed ${last.stats.parsed} = ${last.stats.parsedLines} lines; ${last.stats.handlerModules} handler modules)   cpu ${s.cpu.toFixed(0)} ms  wall ${s.wall.toFixed(0)} ms  ${(lines / (s.wall / 1000)).toFixed(0)} lines/s`);
  console.log(`  ratio full scan / parse-everything   cpu ${(s.cpu / b.cpu).toFixed(3)}  wall ${(s.wall / b.wall).toFixed(3)}   (target < 0.5); ${last.findings.length} findings, ${last.diagnostics.length} diagnostics`);
  for (const f of last.findings) console.log(`    ${f.file}:${f.line} ${f.ruleId}`);
  return { corpus: name, files: files.length, lines, parsed: last.stats.parsed, parseAll: b, scan: s, ratioCpu: s.cpu / b.cpu, ratioWall: s.wall / b.wall, findings: last.findings.length };
}

const corpus = unpackedCorpus();
let result = { name: 'python-scanner', skipped: corpus.error };
if (corpus.error) console.log(`python-scanner: skipped: ${corpus.error}`);
else {
  const work = mkdtempSync(join(tmpdir(), 'py-bench-work-'));
  try {
    // Libraries as project code: packages without their *.dist-info, plus the handler.
    const libs = join(work, 'libs');
    mkdirSync(libs);
    for (const n of readdirSync(corpus.dir)) if (!n.endsWith('.dist-info')) cpSync(join(corpus.dir, n), join(libs, n), { recursive: true });
    // Without a handler nothing can flow into one: the pre-filter parses only what could matter.
    const noHandler = await measure('library sources, no handler', libs);
    writeFileSync(join(libs, 'app.py'), HANDLER);
    const asCode = await measure('libraries as code, with a handler importing them', libs);
    // A deployment package: the same with *.dist-info (vendored packages are skipped).
    const pkg = join(work, 'package');
    cpSync(corpus.dir, pkg, { recursive: true });
    writeFileSync(join(pkg, 'app.py'), HANDLER);
    if (!existsSync(join(pkg, 'app.py'))) throw new Error('no handler');
    const deployment = await measure('deployment package', pkg);
    result = { name: 'python-scanner', noHandler, asCode, deployment };
  } finally {
    rmSync(work, { recursive: true, force: true });
    corpus.cleanup();
  }
}
export { result };
