import { describe, expect, it } from 'vitest';
import { scanSources, summary } from './helpers.js';

describe('python/no-init-secret', () => {
  describe('invalid', () => {
    it('an RSA key generated at import', async () => {
      const r = await scanSources({
        'app.py': 'from cryptography.hazmat.primitives.asymmetric import rsa\nKEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)\ndef handler(event, context):\n    return KEY.sign(event)\n',
      });
      expect(summary(r)).toEqual(['app.py:2 python/no-init-secret']);
    });
    it('a Fernet key flowing into the cipher the handler uses', async () => {
      const r = await scanSources({ 'app.py': 'from cryptography.fernet import Fernet\nF = Fernet(Fernet.generate_key())\ndef handler(event, context):\n    return F.encrypt(b"x")\n' });
      expect(summary(r)).toEqual(['app.py:2 python/no-init-secret']);
    });
    it('a secrets token as a parameter default and in an lru_cache result', async () => {
      const r = await scanSources({
        'app.py':
          'import secrets\nfrom functools import lru_cache\ndef sign(x, key=secrets.token_bytes(32)):\n    return key + x\n@lru_cache\ndef salt():\n    return secrets.token_hex()\nsalt()\ndef handler(event, context):\n    return sign(b"x"), salt()\n',
      });
      expect(summary(r)).toEqual(['app.py:3 python/no-init-secret', 'app.py:6 python/no-init-secret']);
    });
  });
  describe('valid', () => {
    it('keys generated in the handler', async () => {
      expect(summary(await scanSources({ 'app.py': 'import secrets\nfrom cryptography.fernet import Fernet\ndef handler(event, context):\n    return Fernet.generate_key(), secrets.token_hex()\n' }))).toEqual([]);
    });
    it('an object whose key an after-restore hook rotates (method call)', async () => {
      const r = await scanSources({
        'app.py':
          'import secrets\nfrom snapshot_restore_py import register_after_restore\nclass K:\n    def __init__(self):\n        self.k = secrets.token_bytes(8)\n    def rotate(self):\n        self.k = secrets.token_bytes(8)\nring = K()\nregister_after_restore(ring.rotate)\ndef handler(event, context):\n    return ring.k\n',
      });
      expect(summary(r)).toEqual([]);
    });
  });
});
