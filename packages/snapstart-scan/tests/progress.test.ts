import { afterEach, describe, expect, it, vi } from 'vitest';
import { Progress } from '../src/progress.js';

function fakeStream(): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { columns: 100, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('progress bar', () => {
  afterEach(() => vi.useRealTimers());

  it('stays silent when disabled (not a TTY, or --format json/sarif)', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const { stream, written } = fakeStream();
    const progress = new Progress(stream, 10, false);
    vi.advanceTimersByTime(2000);
    for (let i = 0; i < 10; i++) progress.tick();
    progress.clear();
    expect(written).toEqual([]);
  });

  it('shows nothing for a short scan, then draws at most every 100 ms and erases itself', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const { stream, written } = fakeStream();
    const progress = new Progress(stream, 4, true);
    progress.tick();
    expect(written).toEqual([]);
    vi.advanceTimersByTime(600);
    progress.tick();
    progress.tick(); // within 100 ms of the last draw
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\r\[#+\.+\] 2\/4 files {2}\d+ files\/s $/);
    vi.advanceTimersByTime(150);
    progress.tick();
    expect(written[1]).toContain('4/4 files');
    progress.clear();
    expect(written[2]).toBe('\r\u001b[2K');
  });
});
