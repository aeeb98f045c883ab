import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>;
};

// No monitor binary or /dev/kvm needed: this only loads the modules.
describe('@snapstart/vmm-core entry points', () => {
  it('the package root does not export the internals', () => {
    for (const name of ['MonitorProcess', 'asanMonitorPath', 'runDemo']) expect(root).not.toHaveProperty(name);
    expect(typeof root.bootVm).toBe('function');
    expect(typeof root.killAllMonitors).toBe('function');
  });

  it('the internals are reachable as @snapstart/vmm-core/internal, through the exports map', async () => {
    expect(pkg.exports['./internal']).toEqual({ types: './dist/internal.d.ts', default: './dist/internal.js' });
    const internal = await import('@snapstart/vmm-core/internal');
    expect(Object.keys(internal).sort()).toEqual(['MonitorProcess', 'asanMonitorPath', 'runDemo']);
  });
});
