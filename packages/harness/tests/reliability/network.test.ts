// Probe 4 of issue 25 (network): a raw net.connect from a handler reached a listener on the host
// from every instance (only HTTP and fetch were stubbed). Now raw net/tls/dgram/dns attempts are
// refused and recorded, and where the kernel allows it the instance runs in a network namespace
// of its own, which stops even a child process that goes around the in-process refusal.
import { createServer, type Server } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreClones } from '../../src/index.js';
import { probeSandbox, resetSandboxProbe } from '../../src/containment/sandbox.js';
import { formatRun } from '../../src/report.js';
import { ownFixture, repoRoot, usePrivateTmp } from './helpers.js';

usePrivateTmp();
let server: Server;
let udp: UdpSocket;
let port = 0;
let tcpConnections = 0;
let udpMessages = 0;

beforeAll(async () => {
  server = createServer((s) => {
    tcpConnections++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  // The same port number over UDP, so that a datagram that got out would be counted too.
  udp = createSocket('udp4');
  udp.on('message', () => udpMessages++);
  await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve));
});
afterAll(() => {
  server.close();
  udp.close();
});

describe('network containment', () => {
  it('a raw TCP connect, a TLS connect, a UDP send and a DNS lookup from a handler never reach the host; each attempt is in the report', async () => {
    const run = await restoreClones({ entry: ownFixture('raw-network.ts'), cwd: repoRoot, clones: 2, cold: 1, event: { port } });
    await new Promise((r) => setTimeout(r, 100));
    expect(tcpConnections).toBe(0);
    expect(udpMessages).toBe(0);
    for (const instance of [...run.clones, ...run.coldStarts]) {
      expect(instance.status).toBe('ok');
      const result = instance.result as { tcp: string; tls: string; lookup: string; udp: string };
      expect(result.tcp).toMatch(new RegExp(`^ECONNREFUSED: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}: refused by snapstart-harness`));
      expect(result.tls).toMatch(new RegExp(`^ECONNREFUSED: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}: refused by snapstart-harness`));
      expect(result.lookup).toMatch(/^ECONNREFUSED: .*db\.example\.com: refused by snapstart-harness/);
      expect(result.udp).toMatch(/^ECONNREFUSED: .*refused by snapstart-harness/);
      expect(instance.invocations[0]!.requests.map((r) => [r.via, r.method, r.url, r.status])).toEqual([
        ['net', 'CONNECT', `tcp://127.0.0.1:${port}`, 0],
        ['tls', 'CONNECT', `tcp://127.0.0.1:${port}`, 0],
        ['dns', 'LOOKUP', 'dns://db.example.com', 0],
        ['dgram', 'SEND', `udp://127.0.0.1:${port}`, 0],
      ]);
    }
    expect(run.containment?.network).toMatch(/refused and recorded/);
  });

  it('without namespaces (SNAPSTART_HARNESS_SANDBOX=off) the in-process refusal still stops the connect, and the report says containment is limited', async () => {
    process.env.SNAPSTART_HARNESS_SANDBOX = 'off';
    resetSandboxProbe();
    try {
      const run = await restoreClones({ entry: ownFixture('raw-network.ts'), cwd: repoRoot, clones: 2, cold: 0, event: { port } });
      await new Promise((r) => setTimeout(r, 100));
      expect(tcpConnections).toBe(0);
      expect(run.clones.map((c) => (c.result as { tcp: string }).tcp.split(':')[0])).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
      expect(run.containment?.limited).toBe('disabled by SNAPSTART_HARNESS_SANDBOX=off');
      expect(formatRun(run)).toContain('containment limited on this machine: disabled by SNAPSTART_HARNESS_SANDBOX=off');
    } finally {
      delete process.env.SNAPSTART_HARNESS_SANDBOX;
      resetSandboxProbe();
    }
  });

  it('a child process the handler starts (outside the in-process refusal) cannot reach the host either', async (ctx) => {
    const probe = probeSandbox();
    if (probe.namespaces === 'none') {
      console.log(`skipped: no network namespace on this machine (${probe.reason})`);
      ctx.skip();
    }
    const run = await restoreClones({ entry: ownFixture('raw-network.ts'), cwd: repoRoot, clones: 2, cold: 0, event: { port, child: true } });
    await new Promise((r) => setTimeout(r, 100));
    expect(tcpConnections).toBe(0);
    for (const clone of run.clones) {
      expect(clone.status).toBe('ok');
      // No interface is up in the instance's namespace: the kernel has no route anywhere.
      expect((clone.result as { child: string }).child).toBe('ENETUNREACH');
    }
    expect(run.containment?.network).toMatch(/^own network namespace/);
  });
});
