/** A turn at writing one case: `waited` when another write of it in this process went first. */
export interface CaseWriteTurn {
  waited: boolean;
  /** Lets the next writer of the case in; idempotent. */
  release(): void;
}

/**
 * This process's writes of one case, one after another. A command on a case that another command
 * of this process is writing waits for that write, then reads the case again, instead of racing
 * it to the same version claim and losing (a failed claim insert, a read of the claim, a read of
 * the case: what every double tap on a card cost). Other processes still race through the claims.
 */
export class CaseWriteTurns {
  private readonly tails = new Map<string, Promise<void>>();

  async take(caseId: string): Promise<CaseWriteTurn> {
    const before = this.tails.get(caseId);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = before ? before.then(() => mine) : mine;
    this.tails.set(caseId, tail);
    void tail.then(() => {
      if (this.tails.get(caseId) === tail) this.tails.delete(caseId);
    });
    if (before) await before;
    return { waited: before !== undefined, release };
  }

  /** Cases with a write in flight or waiting (for tests and diagnostics). */
  get busy(): number {
    return this.tails.size;
  }
}
