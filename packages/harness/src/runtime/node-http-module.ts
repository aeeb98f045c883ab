// `http` inside a node-engine instance (see node-http.ts).
import { makeModule } from './node-http.js';

const http = makeModule('http');
export const { Agent, globalAgent, request, get, createServer, IncomingMessage, ClientRequest, METHODS, STATUS_CODES, maxHeaderSize } = http;
export default http;
