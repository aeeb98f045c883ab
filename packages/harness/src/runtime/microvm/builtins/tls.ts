import { unavailable } from './unavailable.js';
export default unavailable('tls', ['connect', 'createServer', 'createSecureContext', 'TLSSocket']);
