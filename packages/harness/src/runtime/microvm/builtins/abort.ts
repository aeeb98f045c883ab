/**
 * AbortController and AbortSignal for the guest (Duktape has neither): middy's timeout, the AWS
 * SDK's request cancellation and fetch use them. Listeners run once, in order, when the signal
 * aborts; `AbortSignal.timeout` uses the guest's timers.
 */
type Listener = ((event: { type: string; target: AbortSignal }) => void) | { handleEvent(event: { type: string; target: AbortSignal }): void };

function abortError(): Error {
  const err = new Error('This operation was aborted');
  err.name = 'AbortError';
  return err;
}

export class AbortSignal {
  aborted = false;
  reason: unknown = undefined;
  onabort: ((event: { type: string; target: AbortSignal }) => void) | null = null;
  private listeners: Array<{ listener: Listener; once: boolean }> = [];

  addEventListener(type: string, listener: Listener, options?: { once?: boolean } | boolean): void {
    if (type !== 'abort' || !listener || this.listeners.some((l) => l.listener === listener)) return;
    this.listeners.push({ listener, once: typeof options === 'object' && options?.once === true });
  }
  removeEventListener(type: string, listener: Listener): void {
    if (type === 'abort') this.listeners = this.listeners.filter((l) => l.listener !== listener);
  }
  dispatchEvent(event: { type: string }): boolean {
    if (event.type !== 'abort') return true;
    const e = { type: 'abort', target: this };
    this.onabort?.(e);
    for (const l of this.listeners.slice()) {
      if (l.once) this.removeEventListener('abort', l.listener);
      if (typeof l.listener === 'function') l.listener(e);
      else l.listener.handleEvent(e);
    }
    return true;
  }
  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  /** @internal */
  _abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? abortError() : reason;
    this.dispatchEvent({ type: 'abort' });
  }

  static abort(reason?: unknown): AbortSignal {
    const s = new AbortSignal();
    s._abort(reason);
    return s;
  }
  static timeout(ms: number): AbortSignal {
    const s = new AbortSignal();
    setTimeout(() => {
      const err = new Error('The operation was aborted due to timeout');
      err.name = 'TimeoutError';
      s._abort(err);
    }, ms);
    return s;
  }
  static any(signals: readonly AbortSignal[]): AbortSignal {
    const s = new AbortSignal();
    for (const other of signals) {
      if (other.aborted) {
        s._abort(other.reason);
        break;
      }
      other.addEventListener('abort', () => s._abort(other.reason), { once: true });
    }
    return s;
  }
}

export class AbortController {
  readonly signal = new AbortSignal();
  abort(reason?: unknown): void {
    this.signal._abort(reason);
  }
}
