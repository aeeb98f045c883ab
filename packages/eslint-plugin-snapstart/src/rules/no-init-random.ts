import { createRule } from '../utils/create-rule.js';
import { createUniqueValueListener, uniqueValueMeta } from '../utils/unique-value-rule.js';

export default createRule({
  name: 'no-init-random',
  meta: uniqueValueMeta('no-init-random'),
  defaultOptions: [{}],
  create: (context) => createUniqueValueListener(context, 'random'),
});
