import { createRule } from '../utils/create-rule.js';
import { createUniqueValueListener, uniqueValueMeta } from '../utils/unique-value-rule.js';

export default createRule({
  name: 'no-init-secret',
  meta: uniqueValueMeta('no-init-secret'),
  defaultOptions: [{}],
  create: (context) => createUniqueValueListener(context, 'secret'),
});
