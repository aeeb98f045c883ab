import { promises } from 'node:stream';
export default promises;
