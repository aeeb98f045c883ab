// First module of every node-engine bundle: installs the tracer, output capture and the fetch
// stub before any user code evaluates, and reads the instance's stub rules.
import './init-failure.js';
import { keepAsyncHooksAcrossSnapshot } from './async-hooks.js';
import { captureNodeStreams } from '../outputs.js';
import { installFetch } from '../fetch.js';
import { ENV_INSTANCE, type InstanceConfig } from '../protocol.js';
import { setStubRules } from '../stub.js';
import { installTracer } from '../tracer.js';
import { containInstance } from '../../containment/instance.js';

export const initStart = performance.now();
// `node --build-snapshot` runs without Error.stackTraceLimit (Node deletes it and re-installs it
// after deserialization); init errors need their stacks, mapped back to the user's sources.
if (!(Error.stackTraceLimit > 0)) Error.stackTraceLimit = 10;
keepAsyncHooksAcrossSnapshot();
installTracer();
captureNodeStreams();
installFetch();
containInstance();

/** The instance's settings from the environment (also read again after a restore). */
export function instanceConfig(): InstanceConfig {
  const raw = process.env[ENV_INSTANCE];
  const config: InstanceConfig = raw ? (JSON.parse(raw) as InstanceConfig) : { kind: 'cold', index: 0, hookTimeoutMs: 10_000, stubs: [] };
  setStubRules(config.stubs);
  return config;
}
instanceConfig();
