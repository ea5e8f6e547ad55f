/**
 * Group commit: callers hand in work items and get a promise that settles after the single
 * transaction containing them commits (and, with `afterCommit`, is durable). Items arriving within `windowMs` (or while a
 * commit runs) share a transaction, so durability costs one fsync per group, not per item.
 */
export interface GroupCommitOptions<I, R> {
  windowMs: number;
  /** Runs synchronously inside one transaction for a group; returns one result per item. Throwing fails the whole group. */
  commit: (items: I[]) => R[];
  /** Largest group; a full group commits at once. */
  maxItems?: number;
  /** Awaited after a group's commit before its promises settle (e.g. an fsync run off the event loop). */
  afterCommit?: () => Promise<void>;
}

interface Pending<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter<I, R> {
  private queue: Pending<I, R>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  constructor(private readonly opts: GroupCommitOptions<I, R>) {}

  submit(item: I): Promise<R> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= (this.opts.maxItems ?? 10_000)) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.opts.windowMs);
    });
  }

  /** Commits everything queued now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const group = this.queue;
    if (group.length === 0) return;
    this.queue = [];
    let results: R[];
    try {
      results = this.opts.commit(group.map((p) => p.item));
    } catch (err) {
      for (const p of group) p.reject(err);
      return;
    }
    const after = this.opts.afterCommit?.();
    if (!after) {
      // commit returns one result per item, in order
      group.forEach((p, i) => {
        p.resolve(results[i]!);
      });
      return;
    }
    after.then(
      () => {
        group.forEach((p, i) => {
          p.resolve(results[i]!);
        });
      },
      (err: unknown) => {
        for (const p of group) p.reject(err);
      },
    );
  }

  close(): void {
    this.flush();
    this.closed = true;
  }
}
