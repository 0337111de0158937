import nock from "nock";
import { takeUnmatchedRequests } from "./nock-github.js";

/** Every faked GitHub call was made, and no other: the code made exactly the calls the test lists. */
export function expectExactlyTheFakedCalls(): void {
  expect({ unused: nock.pendingMocks(), unexpected: takeUnmatchedRequests() }).toEqual({ unused: [], unexpected: [] });
}
