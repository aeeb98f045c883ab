// A CommonJS function: a signing secret, a sampling decision and a "boot time" are all made
// during init, so every clone signs with the same secret and reports the same uptime base.
const crypto = require('node:crypto');

const signingSecret = crypto.randomBytes(32).toString('hex');
const sampled = Math.random() < 0.5;
const bootTime = Date.now();

function sign(payload) {
  return crypto.createHmac('sha256', signingSecret).update(payload).digest('hex');
}

exports.handler = async (event) => {
  const payload = JSON.stringify({ user: event.user ?? 'anonymous' });
  return { token: sign(payload), sampled, uptimeMs: Date.now() - bootTime };
};
