import noInitCustomSource from './no-init-custom-source.js';
import noInitEntropyCache from './no-init-entropy-cache.js';
import noInitRandom from './no-init-random.js';
import noInitSecret from './no-init-secret.js';
import noInitTime from './no-init-time.js';
import noInitUuid from './no-init-uuid.js';

export const rules = {
  'no-init-custom-source': noInitCustomSource,
  'no-init-entropy-cache': noInitEntropyCache,
  'no-init-random': noInitRandom,
  'no-init-secret': noInitSecret,
  'no-init-time': noInitTime,
  'no-init-uuid': noInitUuid,
};
