// A function with a heavy init: it loads the TypeScript compiler (a ~9 MB dependency) and warms it
// up by compiling a sample, so the handler's first compile is fast. Init like this is what SnapStart
// exists for: it runs once, before the snapshot, instead of on every cold start.
import ts from 'typescript';

const SAMPLE = `
  interface Order { id: string; lines: Array<{ sku: string; qty: number; price: number }> }
  export const total = (o: Order) => o.lines.reduce((sum, l) => sum + l.qty * l.price, 0);
  export class Cart { private items = new Map<string, number>(); add(sku: string, qty = 1) { this.items.set(sku, (this.items.get(sku) ?? 0) + qty); } }
`;

function warmUp(): number {
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    bytes += ts.transpileModule(SAMPLE.replaceAll('Order', `Order${i}`), {
      compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
    }).outputText.length;
  }
  return bytes;
}

const warmedBytes = warmUp();

interface CompileEvent {
  source?: string;
}

export async function handler(event: CompileEvent) {
  const output = ts.transpileModule(event.source ?? 'export const answer: number = 42;', {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext },
  });
  return { js: output.outputText.trim(), warmedBytes, tsVersion: ts.version };
}
