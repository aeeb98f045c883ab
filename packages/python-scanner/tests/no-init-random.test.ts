import { describe, expect, it } from 'vitest';
import { py, scanSources, summary } from './helpers.js';

describe('python/no-init-random', () => {
  describe('invalid', () => {
    it('random.seed() with a clock reading at import, draws in the handler (the AWS example)', async () => {
      const r = await scanSources({
        'app.py': py`
          import random, time
          random.seed(int(time.time() * 1000))
          def lambda_handler(event, context):
              return random.randint(1, 10)
        `,
      });
      expect(summary(r)).toEqual(['app.py:4 python/no-init-random']);
      expect(r.findings[0]!.message).toContain("draws from the `random` module's generator");
      expect(r.findings[0]!.initPath).toEqual([{ description: '`random` imported during init', line: 1 }]);
    });

    it('a random.Random() generator made at import and drawn from in the handler', async () => {
      const r = await scanSources({ 'app.py': 'import random\nRNG = random.Random()\ndef handler(event, context):\n    return RNG.random()\n' });
      expect(summary(r)).toEqual(['app.py:2 python/no-init-random']);
      expect(r.findings[0]!.message).toContain('holds a generator from `random.Random()`');
    });

    it('numpy default_rng() without a seed, and the legacy global state', async () => {
      const r = await scanSources({
        'app.py': py`
          import numpy as np
          rng = np.random.default_rng()
          def handler(event, context):
              return rng.random() + np.random.rand()
        `,
      });
      expect(summary(r)).toEqual(['app.py:2 python/no-init-random', 'app.py:4 python/no-init-random']);
    });

    it('os.urandom bytes kept from init, and a list shuffled at init', async () => {
      const r = await scanSources({
        'app.py': py`
          import os, random
          PEPPER = os.urandom(16)
          HOSTS = ["a", "b"]
          random.shuffle(HOSTS)
          def handler(event, context):
              return HOSTS[0], PEPPER
        `,
      });
      expect(summary(r)).toEqual(['app.py:2 python/no-init-random', 'app.py:4 python/no-init-random']);
    });

    it('Powertools Logger with sampling_rate made at init', async () => {
      const r = await scanSources({ 'app.py': 'from aws_lambda_powertools import Logger\nlogger = Logger(sampling_rate=0.5)\ndef handler(event, context):\n    logger.info("x")\n' });
      expect(summary(r)).toEqual(['app.py:2 python/no-init-random']);
    });
  });

  describe('valid', () => {
    it('a constant seed: deterministic on purpose', async () => {
      const r = await scanSources({ 'app.py': 'import random\nrandom.seed(7)\nR = random.Random(3)\ndef handler(event, context):\n    return random.random() + R.random()\n' });
      expect(summary(r)).toEqual([]);
    });
    it('random reseeded in an after-restore hook the handler module imports', async () => {
      const r = await scanSources({
        'app.py': 'import random\nimport hooks\ndef handler(event, context):\n    return random.random()\n',
        'hooks.py': 'import random\nfrom snapshot_restore_py import register_after_restore\ndef reseed():\n    random.seed()\nregister_after_restore(reseed)\n',
      });
      expect(summary(r)).toEqual([]);
    });
    it('secrets, os.urandom and SystemRandom in the handler', async () => {
      const r = await scanSources({ 'app.py': 'import os, random, secrets\nSR = random.SystemRandom()\ndef handler(event, context):\n    return secrets.token_hex(), os.urandom(4), SR.random()\n' });
      expect(summary(r)).toEqual([]);
    });
    it('random imported only inside the handler: seeded after restore', async () => {
      expect(summary(await scanSources({ 'app.py': 'def handler(event, context):\n    import random\n    return random.random()\n' }))).toEqual([]);
    });
    it('Powertools Logger without sampling_rate', async () => {
      expect(summary(await scanSources({ 'app.py': 'from aws_lambda_powertools import Logger\nlogger = Logger()\ndef handler(event, context):\n    logger.info("x")\n' }))).toEqual([]);
    });
  });
});
