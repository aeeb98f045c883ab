import { createRule } from '../utils/create-rule.js';
import { createUniqueValueListener, uniqueValueMeta } from '../utils/unique-value-rule.js';

export default createRule({
  name: 'no-init-custom-source',
  meta: uniqueValueMeta('no-init-custom-source'),
  defaultOptions: [{}],
  create: (context) => createUniqueValueListener(context, 'other'),
});
