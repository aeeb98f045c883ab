// `https` inside a node-engine instance (see node-http.ts).
import { makeModule } from './node-http.js';

const https = makeModule('https');
export const { Agent, globalAgent, request, get, createServer, IncomingMessage, ClientRequest, METHODS, STATUS_CODES, maxHeaderSize } = https;
export default https;
