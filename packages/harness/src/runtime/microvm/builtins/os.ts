// `os` in the guest: a small Linux x86-64 machine with no real processes or files.
import { guest } from '../natives.js';

export default {
  EOL: '\n',
  platform: () => 'linux',
  type: () => 'Linux',
  release: () => 'vmm-core',
  arch: () => 'x64',
  machine: () => 'x86_64',
  hostname: () => 'snapstart-guest',
  homedir: () => '/root',
  tmpdir: () => '/tmp',
  endianness: () => 'LE',
  uptime: () => guest.monotonic() / 1000,
  totalmem: () => guest.features().heapSize,
  freemem: () => {
    const f = guest.features();
    return f.heapSize - f.heapUsed;
  },
  cpus: () => [{ model: 'vmm-core vCPU', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }],
  availableParallelism: () => 1,
  loadavg: () => [0, 0, 0],
  networkInterfaces: () => ({}),
  userInfo: () => ({ uid: 0, gid: 0, username: 'sbx_user1051', homedir: '/root', shell: null }),
  constants: { signals: {}, errno: {} },
};
