import { unavailable } from './unavailable.js';
export default { ...unavailable('net', ['connect', 'createConnection', 'createServer', 'Socket', 'Server']), isIP: (s: string) => (/^\d+\.\d+\.\d+\.\d+$/.test(s) ? 4 : s.includes(':') ? 6 : 0) };
