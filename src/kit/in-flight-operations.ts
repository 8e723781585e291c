/**
 * Background operations a component has started and not yet seen finish, so that it can wait for all of
 * them (at shutdown, say) without awaiting each where it starts. Failures are the operation's own business:
 * it reports them itself; being tracked adds no unhandled rejection.
 */
export class InFlightOperations {
  private readonly operations = new Set<Promise<unknown>>();

  track(operation: Promise<unknown>): void {
    this.operations.add(operation);
    const done = () => void this.operations.delete(operation);
    operation.then(done, done);
  }

  /** Resolves once every tracked operation has finished, including those started while waiting. */
  async settled(): Promise<void> {
    while (this.operations.size > 0) await Promise.allSettled([...this.operations]);
  }
}
