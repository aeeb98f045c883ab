import rule from '../../src/rules/no-init-secret.js';
import { commonjsOptions, ruleTester } from '../rule-tester.js';

ruleTester.run('no-init-secret', rule, {
  valid: [
    `import { generateKeyPairSync } from 'crypto'; export const handler = () => generateKeyPairSync('ed25519');`,
    // A key loaded from configuration is not generated.
    `import { createPrivateKey } from 'crypto'; const key = createPrivateKey(process.env.KEY!); export const handler = () => key;`,
  ],
  invalid: [
    { code: `import { generateKeyPairSync } from 'crypto'; const { publicKey, privateKey } = generateKeyPairSync('ed25519'); export const handler = () => privateKey;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import crypto from 'crypto'; const ecdh = crypto.createECDH('prime256v1'); const pub = ecdh.generateKeys(); export const handler = () => pub;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { createDiffieHellman } from 'crypto'; const dh = createDiffieHellman(2048); export const handler = () => dh;`, errors: [{ messageId: 'uniqueValue' }] },
    { code: `import { generateKeySync } from 'crypto'; const hmacKey = generateKeySync('hmac', { length: 256 }); export const handler = () => hmacKey;`, errors: [{ messageId: 'uniqueValue' }] },
    // Web Crypto with top-level await.
    { code: `const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']); export const handler = () => key;`, errors: [{ messageId: 'uniqueValue' }] },
    // Promise reaction storing the key.
    { code: `let key: CryptoKey; crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']).then((k) => { key = k as CryptoKey; }); export const handler = () => key;`, errors: [{ messageId: 'uniqueValue' }] },
    {
      code: `const { generateKeyPair } = require('crypto'); let keys; generateKeyPair('rsa', { modulusLength: 2048 }, (err, pub, priv) => { keys = { pub, priv }; }); exports.handler = () => keys;`,
      languageOptions: commonjsOptions,
      errors: [{ messageId: 'uniqueValue' }],
    },
  ],
});
