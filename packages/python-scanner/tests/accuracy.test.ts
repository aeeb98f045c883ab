// Held-out accuracy check: small handlers written from real Lambda Python code, each line that
// should be reported marked `# expect: <rule>`. Written before the analysis was tuned; the test
// reports recall and precision over the whole corpus and fails below the goals of issue #21.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanPythonProject } from '../src/index.js';

const CORPUS = fileURLToPath(new URL('./fixtures/accuracy/', import.meta.url));

function pyFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? pyFiles(p) : n.endsWith('.py') ? [p] : [];
  });
}

/** `file:line rule` for every `# expect: rule` marker of a case. */
function expected(dir: string): Set<string> {
  const out = new Set<string>();
  for (const f of pyFiles(dir)) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      for (const m of line.matchAll(/# expect: (python\/[\w-]+)/g)) out.add(`${relative(dir, f)}:${i + 1} ${m[1]}`);
    });
  }
  return out;
}

describe('python-scanner accuracy', () => {
  it('finds the labelled bugs of the corpus (recall >= 0.90) and little else (precision >= 0.95)', async () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const misses: string[] = [];
    const cases = readdirSync(CORPUS).sort();
    for (const name of cases) {
      const dir = join(CORPUS, name);
      const want = expected(dir);
      const result = await scanPythonProject([dir], { cwd: dir });
      expect(result.diagnostics, name).toEqual([]);
      const got = new Set(result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`));
      for (const g of got) {
        if (want.has(g)) tp++;
        else (fp++, misses.push(`${name}: unexpected ${g}`));
      }
      for (const w of want) if (!got.has(w)) (fn++, misses.push(`${name}: missed ${w}`));
    }
    const recall = tp / (tp + fn);
    const precision = tp / (tp + fp);
    console.log(`python accuracy: ${cases.length} cases, ${tp} true positives, ${fp} false positives, ${fn} misses; recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}`);
    for (const m of misses) console.log(`  ${m}`);
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(precision).toBeGreaterThanOrEqual(0.95);
  });
});
