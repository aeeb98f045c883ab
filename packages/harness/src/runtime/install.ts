// First module of every snapshot bundle: installs the tracer before any user code evaluates.
import { installTracer } from './tracer.js';

export const initStart = performance.now();
installTracer();
