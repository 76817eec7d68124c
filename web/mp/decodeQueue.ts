/** The queue has `maxWaiting` requests waiting already: the caller answers "busy, retry later" at once. */
export class DecodeQueueFullError extends Error {
  constructor(readonly limits: { concurrency: number; maxWaiting: number }) {
    super(`photo decode queue full (${limits.concurrency} decoding, ${limits.maxWaiting} waiting)`);
    this.name = 'DecodeQueueFullError';
  }
}

export interface DecodeQueueLimits {
  /** Decodes running at once (PHOTO_DECODE_CONCURRENCY). Below libuv's pool of 4, so file reads keep threads of their own. */
  concurrency: number;
  /** Requests allowed to wait for a decoder (PHOTO_DECODE_QUEUE); one more is refused. */
  maxWaiting: number;
}

/**
 * A small bounded queue in front of the image decoder, one per process: at most `concurrency` tasks
 * run, at most `maxWaiting` wait in arrival order, and anything beyond is refused at once rather than
 * piling up memory. Decoding is CPU and memory of this process, so the bound is per process.
 */
export class DecodeQueue {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly limits: DecodeQueueLimits) {
    if (!(limits.concurrency >= 1) || !(limits.maxWaiting >= 0)) throw new Error('decode queue needs concurrency ≥ 1 and maxWaiting ≥ 0');
  }

  /** Tasks decoding now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a decoder. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Runs `task` when a decoder is free; throws DecodeQueueFullError, running nothing, when the waiting list is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limits.concurrency) {
      this.active += 1;
    } else {
      if (this.waiters.length >= this.limits.maxWaiting) throw new DecodeQueueFullError(this.limits);
      // The finishing task hands its slot over: `active` stays the same.
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    try {
      return await task();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
