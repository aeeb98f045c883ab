/**
 * Turns the monitor's `error` frame into the error class it names. Every value comes from a field
 * of the frame (kind, accelerator, reason, timeout-ms, rip, vector, cr2, status: see docs/vmm.md,
 * "Protocol"); the message text is shown to people and never parsed.
 */
import {
  AcceleratorUnavailableError,
  GuestExitError,
  GuestFaultError,
  GuestTimeoutError,
  SnapshotFormatError,
  VmmError,
  type GuestStop,
} from './errors.js';
import type { Frame } from './monitor.js';

function consoleTail(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '').slice(-10);
}

/** A field every error frame of this kind carries; its absence is a monitor bug, said as such. */
function field(frame: Frame, name: string): string {
  const value = frame.fields[name];
  if (value === undefined) throw new VmmError(`vmm-monitor sent a '${frame.fields.kind ?? '?'}' error without its '${name}' field`, JSON.stringify(frame.fields));
  return value;
}

function numberField(frame: Frame, name: string): number {
  const value = Number(field(frame, name));
  if (!Number.isFinite(value)) throw new VmmError(`vmm-monitor sent a non-numeric '${name}' field`, JSON.stringify(frame.fields));
  return value;
}

/**
 * @param console the guest's console output so far (its last lines are attached to guest errors)
 * @param path the snapshot the request concerned, for format errors
 */
export function errorFromFrame(frame: Frame, console: string, path?: string): Error {
  const f = frame.fields;
  const message = f.message ?? 'unknown error';
  try {
    const stop = (): GuestStop => {
      const vector = numberField(frame, 'vector');
      return {
        rip: numberField(frame, 'rip'),
        vector,
        ...(vector === 14 ? { address: numberField(frame, 'cr2') } : {}),
        consoleTail: consoleTail(console),
      };
    };
    switch (f.kind) {
      case 'fault':
        return new GuestFaultError(field(frame, 'reason'), stop());
      case 'timeout':
        return new GuestTimeoutError(numberField(frame, 'timeout-ms'), stop(), message);
      case 'exit':
        return new GuestExitError(numberField(frame, 'status'), consoleTail(console));
      case 'accel':
        return new AcceleratorUnavailableError(field(frame, 'accelerator'), field(frame, 'reason'));
      case 'format':
        return path ? new SnapshotFormatError(path, message) : new VmmError(message);
      default:
        return new VmmError(message);
    }
  } catch (err) {
    return err instanceof VmmError ? err : new VmmError(message);
  }
}
