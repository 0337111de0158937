/** A file the mirror must hold at the target commit, named by its git blob sha; content still to find. */
export interface WantedBlob {
  path: string;
  sha: string;
}

/** What turns the mirrored commit into the target commit. */
export interface SyncPlan {
  wanted: WantedBlob[];
  deletes: string[];
  /** Every path the change touched, mirrored or not (to notice a changed `.github/gitdisk.yml`). */
  touched: Set<string>;
}
