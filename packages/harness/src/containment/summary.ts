/**
 * What was contained in a run, per engine, as the report states it (docs/harness.md, "Containment").
 * A protection the machine does not offer is named with the reason, never silently left out.
 */
import { probeSandbox } from './sandbox.js';
import { heapLimitMb } from './memory.js';

export interface ContainmentSummary {
  /** What the instances' environment holds. */
  readonly environment: string;
  readonly fileSystem: string;
  readonly network: string;
  readonly processes: string;
  readonly memory: string;
  /** Protections missing on this machine, and why. */
  readonly limited?: string;
}

export function containmentSummary(engine: string, memoryMb: number): ContainmentSummary {
  const environment = "Lambda's variables, dummy credentials and --env only; host secrets redacted from the report";
  if (engine === 'microvm') {
    return {
      environment,
      fileSystem: 'none: the guest has no file system',
      network: 'none: the guest has no network device; http/https/fetch are recorded by the stub',
      processes: 'none: the guest runs one program (child_process is unavailable); the monitor process dies with the harness',
      memory: 'the guest RAM of the base image (256 MiB); --memory is not applied',
    };
  }
  const probe = probeSandbox();
  const ns = probe.namespaces !== 'none';
  return {
    environment,
    fileSystem: `the host's, as the harness's user${probe.hidesCredentials ? "; the host's credential folders and files (~/.aws, ~/.ssh, ~/.docker, ~/.kube, ~/.npmrc…) hidden" : ''}`,
    network: `${ns ? 'own network namespace (no interface up); ' : ''}net/tls/dgram/dns refused and recorded; http/https/fetch recorded by the stub`,
    processes: `${ns ? 'own PID namespace: every process the instance starts ends with it' : 'own process group: what it starts ends with it unless it leaves the group (setsid)'}${probe.parentDeath ? '; parent-death signal: dies with the harness, even after kill -9' : ''}`,
    memory: `${memoryMb} MB: V8 heap capped at ${heapLimitMb(memoryMb)} MB; resident memory of the instance and its children watched`,
    ...(probe.reason ? { limited: probe.reason } : {}),
  };
}
