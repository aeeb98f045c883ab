import { describe, expect, it } from 'vitest';
import { errorFromFrame } from '../src/error-frame.js';
import { AcceleratorUnavailableError, GuestFaultError, GuestTimeoutError, guests, VmmError } from '../src/index.js';
import { MonitorProcess } from '../src/internal.js';
import type { Frame } from '../src/index.js';

// The TS errors are built from the fields of the monitor's error frame. The messages below are
// deliberately unlike the fields: a parser of message text would get these wrong.
const frame = (fields: Record<string, string>): Frame => ({ verb: 'error', fields });
const guestStop = { rip: '0x200123', cr2: '0x0', vector: '-1', status: '0' };

describe('errors from error frames', () => {
  it('takes the accelerator and the reason of an accel error from their fields', () => {
    const err = errorFromFrame(
      frame({ ...guestStop, kind: 'accel', accelerator: 'kvm', reason: 'cannot open /dev/kvm: Permission denied', message: 'tcg accelerator failed: something else' }),
      '',
    );
    expect(err).toBeInstanceOf(AcceleratorUnavailableError);
    expect((err as AcceleratorUnavailableError).accelerator).toBe('kvm');
    expect((err as AcceleratorUnavailableError).reason).toBe('cannot open /dev/kvm: Permission denied');
    expect(err.message).toBe('kvm accelerator unavailable: cannot open /dev/kvm: Permission denied');
  });

  it("takes a timeout's budget from timeout-ms", () => {
    const err = errorFromFrame(frame({ ...guestStop, kind: 'timeout', 'timeout-ms': '1234', message: 'guest did not answer within 99 ms' }), 'booted\nworking\n');
    expect(err).toBeInstanceOf(GuestTimeoutError);
    expect((err as GuestTimeoutError).timeoutMs).toBe(1234);
    expect((err as GuestTimeoutError).rip).toBe(0x200123);
    expect((err as GuestTimeoutError).consoleTail).toEqual(['booted', 'working']);
  });

  it("takes a fault's reason, vector and address from their fields", () => {
    const err = errorFromFrame(
      frame({ kind: 'fault', rip: '0x2000aa', cr2: '0x8', vector: '14', status: '0', reason: 'guest exception 14 (page fault)', message: 'unrelated text' }),
      '',
    );
    expect(err).toBeInstanceOf(GuestFaultError);
    expect((err as GuestFaultError).reason).toBe('guest exception 14 (page fault)');
    expect((err as GuestFaultError).address).toBe(8);
  });

  it('says which field is missing instead of guessing from the message', () => {
    const err = errorFromFrame(frame({ ...guestStop, kind: 'accel', reason: 'x', message: 'kvm accelerator unavailable: x' }), '');
    expect(err).toBeInstanceOf(VmmError);
    expect(err).not.toBeInstanceOf(AcceleratorUnavailableError);
    expect(err.message).toMatch(/without its 'accelerator' field/);
  });
});

describe('the monitor sends those fields', () => {
  it('on usage and timeout errors', async () => {
    const monitor = new MonitorProcess();
    try {
      const usage = await monitor.request('boot', { elf: guests.probe, 'ram-mib': 16, accel: 'quantum' });
      expect(usage.fields).toMatchObject({ kind: 'usage', reason: "unknown accelerator 'quantum' (kvm, tcg or auto)" });
      const booted = await monitor.request('boot', { elf: guests.probe, 'ram-mib': 16, accel: 'tcg' });
      expect(booted.verb).toBe('ready');
      const timeout = await monitor.request('invoke', { 'timeout-ms': 250 }, Buffer.from('hang'));
      expect(timeout.fields).toMatchObject({ kind: 'timeout', 'timeout-ms': '250' });
    } finally {
      await monitor.quit();
    }
  });
});

describe('a monitor that cannot start', () => {
  it('says why in the message, not only in the details', async () => {
    const monitor = new MonitorProcess('/nonexistent/vmm-monitor');
    await expect(monitor.request('destroy', {})).rejects.toThrow(/^vmm-monitor \(pid \?\) could not be started: spawn \/nonexistent\/vmm-monitor ENOENT$/);
  });
});
