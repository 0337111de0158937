import { decideWrite, type WriteAttempt, type Writer } from "../../../src/auth/write-rules.js";

const alice: Writer = { kind: "visitor", login: "alice" };
const key: Writer = { kind: "key" };
const keyAsBob: Writer = { kind: "key", user: "bob" };

function decide(attempt: Partial<WriteAttempt> & Pick<WriteAttempt, "rule" | "action">) {
  return decideWrite({ collection: "things", writer: alice, ...attempt });
}

describe("decideWrite", () => {
  it("lets keys do anything, as any user or none, under every rule", () => {
    for (const rule of ["site", "user", "owner"] as const) {
      for (const writer of [key, keyAsBob]) {
        expect(decide({ rule, writer, action: "delete", idUser: "zed", current: { author: "zed" } })).toEqual({ allowed: true });
      }
    }
  });

  it("refuses visitors any write to a site collection, naming the rule", () => {
    for (const action of ["create", "replace", "delete"] as const) {
      expect(decide({ rule: "site", action })).toEqual({
        allowed: false,
        reason: "collection things has write: site: only the site's keys write it, not a signed-in visitor",
      });
    }
  });

  describe("user", () => {
    it("lets a visitor create records as themselves", () => {
      expect(decide({ rule: "user", action: "create", idUser: "alice" })).toEqual({ allowed: true });
      expect(decide({ rule: "user", action: "create" })).toEqual({ allowed: true });
      // PUT of a record that does not exist yet creates it.
      expect(decide({ rule: "user", action: "replace" })).toEqual({ allowed: true });
    });

    it("refuses a record whose id names another user, even a new one", () => {
      expect(decide({ rule: "user", action: "replace", idUser: "bob" })).toMatchObject({
        allowed: false,
        reason: expect.stringMatching(/of bob, not of alice/),
      });
    });

    it("lets a visitor replace and delete only records whose author they are", () => {
      for (const action of ["replace", "delete"] as const) {
        expect(decide({ rule: "user", action, current: { author: "alice" } })).toEqual({ allowed: true });
        expect(decide({ rule: "user", action, idUser: "alice", current: { author: "alice" } })).toEqual({ allowed: true });
        expect(decide({ rule: "user", action, current: { author: "bob" } })).toEqual({
          allowed: false,
          reason: "collection things has write: user: the record was written by bob",
        });
        // A like in alice's name that a key wrote for someone else is not hers to change.
        expect(decide({ rule: "user", action, idUser: "alice", current: { author: "bob" } })).toMatchObject({ allowed: false });
        expect(decide({ rule: "user", action, current: { author: undefined } })).toMatchObject({
          allowed: false,
          reason: expect.stringMatching(/names no author/),
        });
      }
    });
  });

  describe("owner", () => {
    it("belongs to the {user} in the id when the template has one, whoever wrote the record", () => {
      expect(decide({ rule: "owner", action: "create", idUser: "alice" })).toEqual({ allowed: true });
      expect(decide({ rule: "owner", action: "replace", idUser: "alice", current: { author: undefined } })).toEqual({ allowed: true });
      expect(decide({ rule: "owner", action: "delete", idUser: "alice", current: { author: "bob" } })).toEqual({ allowed: true });
      expect(decide({ rule: "owner", action: "replace", idUser: "bob", current: { author: "alice" } })).toMatchObject({
        allowed: false,
        reason: "collection things has write: owner: record of bob, not of alice",
      });
      expect(decide({ rule: "owner", action: "replace", idUser: "bob" })).toMatchObject({ allowed: false });
    });

    it("else belongs to its author; a new record to whoever creates it", () => {
      expect(decide({ rule: "owner", action: "create" })).toEqual({ allowed: true });
      expect(decide({ rule: "owner", action: "replace" })).toEqual({ allowed: true });
      expect(decide({ rule: "owner", action: "replace", current: { author: "alice" } })).toEqual({ allowed: true });
      expect(decide({ rule: "owner", action: "delete", current: { author: "bob" } })).toMatchObject({ allowed: false });
    });
  });
});
