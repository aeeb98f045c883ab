import { createRule } from '../utils/create-rule.js';
import { createUniqueValueListener, uniqueValueMeta } from '../utils/unique-value-rule.js';

export default createRule({
  name: 'no-init-time',
  meta: uniqueValueMeta('no-init-time'),
  defaultOptions: [{}],
  create: (context) => createUniqueValueListener(context, 'time'),
});
