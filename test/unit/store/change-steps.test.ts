import { changeSteps } from "../../../src/store/change-steps.js";
import type { ChangeSet, FileBody } from "../../../src/store/store.js";

const FROM = "1".repeat(40);
const TO = "2".repeat(40);
const body = (path: string): FileBody => ({ path, content: Buffer.from(path), sha: "0".repeat(40), size: path.length });

function change(deletes: number, upserts: number, extra: Partial<ChangeSet> = {}): ChangeSet {
  return {
    fromSha: FROM,
    toSha: TO,
    deletes: Array.from({ length: deletes }, (_, i) => `gone/${i}`),
    upserts: Array.from({ length: upserts }, (_, i) => body(`new/${i}`)),
    ...extra,
  };
}

describe("changeSteps", () => {
  it("keeps a change that fits in one step whole", () => {
    const small = change(2, 3);
    expect(changeSteps(small, 5)).toEqual([small]);
  });

  it("splits deletions then upserts into steps of at most the limit, all from the same commit, only the last moving to the target", () => {
    const steps = changeSteps(change(3, 8), 4);
    expect(steps.map((step) => [step.deletes.length, step.upserts.length])).toEqual([[3, 1], [0, 4], [0, 3]]);
    expect(steps.map((step) => [step.fromSha, step.toSha])).toEqual([[FROM, FROM], [FROM, FROM], [FROM, TO]]);
    expect(steps.flatMap((step) => step.deletes)).toEqual(change(3, 8).deletes);
    expect(steps.flatMap((step) => step.upserts.map((file) => file.path))).toEqual(change(3, 8).upserts.map((file) => file.path));
  });

  it("never splits a full replacement or a change with no commit to hold the mirror at", () => {
    const full = change(0, 10, { replaceAll: true });
    const anyState = change(0, 10, { fromSha: null });
    expect(changeSteps(full, 3)).toEqual([full]);
    expect(changeSteps(anyState, 3)).toEqual([anyState]);
  });
});
