// Deterministic generator of realistic TypeScript/JavaScript Lambda-style modules for benchmarks.
// Same seed, same corpus: runs are comparable.

export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENTITIES = ['Order', 'User', 'Invoice', 'Payment', 'Session', 'Product', 'Cart', 'Shipment', 'Review', 'Ticket'];
const SERVICES = ['Repository', 'Client', 'Service', 'Cache', 'Validator', 'Mapper'];

function pick(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

function typeBlock(rand, entity) {
  const fields = ['id: string', 'createdAt: number', 'status: Status', 'amount?: number', 'tags: string[]', 'owner: { id: string; name: string }'];
  const n = 3 + Math.floor(rand() * 4);
  return `export type Status = 'pending' | 'active' | 'closed';

export interface ${entity} {
${fields.slice(0, n).map((f) => `  ${f};`).join('\n')}
}

interface ${entity}Event {
  body?: string;
  pathParameters?: Record<string, string | undefined>;
  headers: Record<string, string>;
}
`;
}

function classBlock(rand, entity, ts) {
  const svc = pick(rand, SERVICES);
  const t = (s) => (ts ? s : '');
  return `export class ${entity}${svc} {
  ${t('private readonly ')}items${t(`: Map<string, ${entity}>`)} = new Map();
  constructor(${ts ? 'private readonly table: string, private readonly limit = 100' : 'table, limit = 100'}) {
    ${ts ? '' : 'this.table = table;\n    this.limit = limit;'}
  }

  async get(id${t(': string')})${t(`: Promise<${entity} | undefined>`)} {
    const cached = this.items.get(id);
    if (cached) return cached;
    const row = await query(this.table, { id });
    return row ? this.map(row) : undefined;
  }

  async list(owner${t(': string')}, cursor${t('?: string')})${t(`: Promise<${entity}[]>`)} {
    const rows = await query(this.table, { owner, cursor, limit: this.limit });
    return rows.filter((r${t(': any')}) => r.status !== 'closed').map((r${t(': any')}) => this.map(r));
  }

  ${t('private ')}map(row${t(': any')})${t(`: ${entity}`)} {
    const value = { id: String(row.id), createdAt: Number(row.createdAt), status: row.status, tags: row.tags ?? [], owner: row.owner };
    this.items.set(value.id, value);
    return value;
  }
}
`;
}

function helperBlock(rand, i, ts) {
  const t = (s) => (ts ? s : '');
  const variants = [
    `function parseBody${i}(body${t('?: string')})${t(': Record<string, unknown>')} {
  if (!body) return {};
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new Error(\`invalid body: \${(err${t(' as Error')}).message}\`);
  }
}
`,
    `const respond${i} = (status${t(': number')}, body${t(': unknown')}) => ({
  statusCode: status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
`,
    `function chunk${i}${t('<T>')}(items${t(': T[]')}, size${t(': number')})${t(': T[][]')} {
  const out${t(': T[][]')} = [];
  for (let k = 0; k < items.length; k += size) out.push(items.slice(k, k + size));
  return out;
}
`,
    `export function elapsed${i}(start${t(': number')}) {
  return Date.now() - start;
}
`,
  ];
  return pick(rand, variants);
}

function initBlock(rand, entity) {
  const r = rand();
  if (r < 0.05) return `import { randomUUID } from 'node:crypto';\nconst instanceId = randomUUID();\n`;
  if (r < 0.08) return `const bootTime = Date.now();\n`;
  if (r < 0.12) return `const t0 = Date.now();\nconst config = loadConfig();\nconsole.log('config loaded in', Date.now() - t0);\n`;
  if (r < 0.3) return `const config = loadConfig();\n`;
  return `const config = { table: process.env.TABLE ?? '${entity.toLowerCase()}s', region: process.env.AWS_REGION };\n`;
}

function handlerBlock(rand, entity, ts) {
  const t = (s) => (ts ? s : '');
  const usesId = rand() < 0.3;
  return `export const handler = async (event${t(`: ${entity}Event`)}) => {
  const started = Date.now();
  const repo = new ${entity}Repository(config.table);
  const id = event.pathParameters?.id;
  if (!id) return { statusCode: 400, body: 'missing id' };
  const item = await repo.get(id);
  ${usesId ? `const requestId = crypto.randomUUID();\n  console.log(requestId, Date.now() - started);` : `console.log('took', Date.now() - started);`}
  return item ? { statusCode: 200, body: JSON.stringify(item) } : { statusCode: 404, body: 'not found' };
};
`;
}

/** Returns [{ name, text }] of `count` files, 2/3 TypeScript and 1/3 JavaScript. */
export function generateCorpus(count, seed = 42) {
  const rand = prng(seed);
  const files = [];
  for (let i = 0; i < count; i++) {
    const ts = i % 3 !== 2;
    const entity = pick(rand, ENTITIES);
    const helpers = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, k) => helperBlock(rand, k, ts)).join('\n');
    const text = [
      `import { query, loadConfig } from '../lib/db${ts ? '' : '.js'}';`,
      initBlock(rand, entity),
      ts ? typeBlock(rand, entity) : '',
      classBlock(rand, entity, ts).replace(/\w+(Repository|Client|Service|Cache|Validator|Mapper) \{/, `${entity}Repository {`),
      helpers,
      handlerBlock(rand, entity, ts),
    ].join('\n');
    files.push({ name: `gen/${entity.toLowerCase()}-${i}.${ts ? 'ts' : 'js'}`, text });
  }
  return files;
}
