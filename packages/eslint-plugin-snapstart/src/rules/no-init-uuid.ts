import { createRule } from '../utils/create-rule.js';
import { createUniqueValueListener, uniqueValueMeta } from '../utils/unique-value-rule.js';

export default createRule({
  name: 'no-init-uuid',
  meta: uniqueValueMeta('no-init-uuid'),
  defaultOptions: [{}],
  create: (context) => createUniqueValueListener(context, 'uuid'),
});
