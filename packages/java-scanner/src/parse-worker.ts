import { parentPort } from 'node:worker_threads';
import { parseJavaSource } from './parse.js';

parentPort?.on('message', (msg: { start: number; batch: Array<{ path: string; text: string }> }) => {
  parentPort?.postMessage({ start: msg.start, outcomes: msg.batch.map((j) => parseJavaSource(j.path, j.text)) });
});
