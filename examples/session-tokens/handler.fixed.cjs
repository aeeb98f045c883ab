const crypto = require('node:crypto');
const { registerAfterRestore } = require('@snapstart/runtime-hooks');

let signingSecret = crypto.randomBytes(32).toString('hex');
let bootTime = Date.now();
registerAfterRestore(() => {
  signingSecret = crypto.randomBytes(32).toString('hex');
  bootTime = Date.now();
});

function sign(payload) {
  return crypto.createHmac('sha256', signingSecret).update(payload).digest('hex');
}

exports.handler = async (event) => {
  const payload = JSON.stringify({ user: event.user ?? 'anonymous' });
  const sampled = Math.random() < 0.5;
  return { token: sign(payload), sampled, uptimeMs: Date.now() - bootTime };
};
