// `npm run bench`: every benchmark, one after the other (never part of `npm test`).
const only = process.argv[2];
const benches = ['eslint-plugin', 'real-code', 'harness', 'java-scanner', 'python-scanner', 'snapstart-scan', 'large-files', 'vmm-core', 'microvm', 'linux', 'linux-engine'];
for (const name of benches) {
  if (only && only !== name) continue;
  await import(`./${name}.bench.js`);
}
