/**
 * Runs tasks one after another per key, each after the one before it settled (failed or not); a
 * key's chain is dropped once it is idle. FerretDB v1 applies `$inc` as a read and a write, so this
 * process's updates of one document go through here to stay exact.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
