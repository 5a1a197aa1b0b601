/**
 * Calls of one kind made in the same turn of the event loop, sent to Redis as one script call.
 * A node ends many jobs at once, a bulk request places hundreds of pinned hosts with `Promise.all`,
 * and a node's host actors claim their next jobs together: one script start and one round trip per
 * turn instead of one per call, which is most of Redis's and the client's cost per job.
 *
 * Each call contributes a fixed number of arguments; `send` gets them all, flat, and answers one
 * reply per call in order (or nothing when the callers need no reply).
 */
export class Coalescer<R> {
  private pending: { args: string[]; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];

  constructor(
    private readonly send: (flatArgs: string[]) => Promise<unknown>,
    private readonly maxPerCall = 200,
  ) {}

  call(args: string[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ args, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += this.maxPerCall) {
      const part = all.slice(i, i + this.maxPerCall);
      let sent: Promise<unknown>;
      try {
        sent = this.send(part.flatMap((p) => p.args));
      } catch (e) {
        sent = Promise.reject(e); // not started or closed: every waiting caller gets the error
      }
      sent.then(
        (replies) => {
          part.forEach((p, k) => {
            p.resolve((Array.isArray(replies) ? replies[k] : undefined) as R);
          });
        },
        (e: unknown) => {
          for (const p of part) p.reject(e);
        },
      );
    }
  }
}
