/**
 * A cap on requests in flight across all hosts of a run: per-host gates keep
 * each site polite, this keeps the whole run within what the machine (sockets,
 * memory for bodies) is meant to carry.
 */
export class Limit {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // a finishing task hands its slot straight to the next waiter, so none is overtaken
    if (this.active >= this.max) await new Promise<void>((ok) => this.queue.push(ok));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
