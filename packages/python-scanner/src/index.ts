export { parsePythonSource, decodeSource, MAX_PARSE_BYTES } from './parse.js';
