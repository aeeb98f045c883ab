import { describe, expect, it } from 'vitest';
import { scanSources, summary } from './helpers.js';

describe('python/no-init-time', () => {
  describe('invalid', () => {
    it('datetime.now() kept from init', async () => {
      const r = await scanSources({ 'app.py': 'from datetime import datetime\nSTARTED = datetime.now()\ndef handler(event, context):\n    return STARTED.isoformat()\n' });
      expect(summary(r)).toEqual(['app.py:2 python/no-init-time']);
      expect(r.findings[0]!.severity).toBe('warning');
    });
    it('time.time() in a class attribute and datetime.utcnow() in a dict', async () => {
      const r = await scanSources({
        'app.py': 'import time, datetime\nclass C:\n    T = time.time()\nMETA = {"at": datetime.datetime.utcnow()}\ndef handler(event, context):\n    return C.T, META\n',
      });
      expect(summary(r)).toEqual(['app.py:3 python/no-init-time', 'app.py:4 python/no-init-time']);
    });
  });
  describe('valid', () => {
    it('a baseline for a duration (`time.time() - STARTED`)', async () => {
      expect(summary(await scanSources({ 'app.py': 'import time\nSTARTED = time.time()\ndef handler(event, context):\n    return time.time() - STARTED\n' }))).toEqual([]);
    });
    it('monotonic and perf_counter readings', async () => {
      expect(summary(await scanSources({ 'app.py': 'import time\nB = time.monotonic()\nP = time.perf_counter()\ndef handler(event, context):\n    return B, P\n' }))).toEqual([]);
    });
    it('the clock read in the handler', async () => {
      expect(summary(await scanSources({ 'app.py': 'import time\ndef handler(event, context):\n    return time.time()\n' }))).toEqual([]);
    });
  });
});
