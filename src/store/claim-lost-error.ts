/**
 * A change to a batch by an owner that no longer holds its claim: the lease lapsed and another owner
 * took the batch over, or the batch was finished meanwhile. Nothing was changed; the current owner
 * carries the batch on, so the stale one should drop it.
 */
export class ClaimLostError extends Error {
  readonly batchId: string;
  readonly owner: string;

  constructor(batchId: string, owner: string) {
    super(`batch ${batchId} is no longer claimed by ${owner}`);
    this.name = "ClaimLostError";
    this.batchId = batchId;
    this.owner = owner;
  }
}
