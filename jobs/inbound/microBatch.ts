interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the items pushed during one turn of the event loop (or up to `maxBatch`) and hands
 * them to `flush` together; each caller's promise settles with its own result only once the
 * whole batch has been written. Concurrent callbacks then share one Redis round trip.
 */
export class MicroBatch<T, R> {
  private pending: Array<Pending<T, R>> = [];
  private scheduled = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 64,
  ) {}

  push(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.run();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.run());
      }
    });
  }

  private run(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.flush(batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, i) => entry.resolve(results[i] as R)),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}
