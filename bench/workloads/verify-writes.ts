/**
 * Reads the repository at the end of the write workload (`sim.files`) and judges it: every
 * acknowledged write present exactly once with its content, and every file the person pushed intact.
 */
import { writeIdsIn } from "../../src/git/commit-trailers.js";
import type { Simulator } from "../../test/github-sim/start-simulator.js";
import type { NaiveLikesFile } from "../naive/naive-writes.js";
import { naiveLikesPath } from "../naive/naive-writes.js";
import type { PersonPushes } from "../support/person-pusher.js";
import type { AckedWrite } from "../support/write-plan.js";

export interface WriteVerdict {
  /** Acknowledged writes whose effect is not in the repository. */
  lost: number;
  /** Writes whose effect is there more than once (a file or a like twice, a write id in two commits). */
  duplicated: number;
  /** Files the person pushed that are gone or changed. */
  personFilesDamaged: number;
  problems: string[];
}

function checker() {
  const verdict: WriteVerdict = { lost: 0, duplicated: 0, personFilesDamaged: 0, problems: [] };
  const note = (kind: "lost" | "duplicated" | "personFilesDamaged", problem: string) => {
    verdict[kind]++;
    if (verdict.problems.length < 20) verdict.problems.push(problem);
  };
  return { verdict, note };
}

function checkPerson(files: Map<string, Buffer>, person: PersonPushes, note: ReturnType<typeof checker>["note"]): void {
  for (const [filePath, content] of person.expectedFiles) {
    if (files.get(filePath)?.toString("utf8") !== content) note("personFilesDamaged", `the person's ${filePath} is missing or changed`);
  }
}

/**
 * Messages must each be there once, with their content; profiles must hold each user's last
 * acknowledged update. Shared by both ways: they store these the same way, one file per record.
 */
function checkMessagesAndProfiles(
  files: Map<string, Buffer>,
  acked: readonly AckedWrite[],
  note: ReturnType<typeof checker>["note"],
): void {
  const messages = acked.filter((entry) => entry.write.kind === "message");
  for (const entry of messages) {
    if (files.get(entry.path)?.toString("utf8") !== entry.content) note("lost", `message ${entry.path} is missing or differs`);
  }
  const messageTexts = [...files]
    .filter(([filePath]) => filePath.startsWith("data/messages/"))
    .map(([, content]) => content.toString("utf8"));
  const extra = messageTexts.length - new Set(messageTexts).size;
  for (let i = 0; i < extra; i++) note("duplicated", "a message is stored twice");
  const lastProfile = new Map<string, AckedWrite>();
  for (const entry of acked) if (entry.write.kind === "profile") lastProfile.set(entry.path, entry);
  for (const [filePath, entry] of lastProfile) {
    if (files.get(filePath)?.toString("utf8") !== entry.content)
      note("lost", `profile ${filePath} does not hold its last acknowledged update`);
  }
}

/** gitdisk: one file per like too; every write id in exactly one commit's trailers. */
export function verifyGitdiskWrites(
  files: Map<string, Buffer>,
  acked: readonly AckedWrite[],
  person: PersonPushes,
  commitMessages: readonly string[],
): WriteVerdict {
  const { verdict, note } = checker();
  checkPerson(files, person, note);
  checkMessagesAndProfiles(files, acked, note);
  const likes = acked.filter((entry) => entry.write.kind === "like");
  for (const entry of likes)
    if (files.get(entry.path)?.toString("utf8") !== entry.content) note("lost", `like ${entry.path} is missing or differs`);
  const likeFiles = [...files.keys()].filter((filePath) => filePath.startsWith("data/likes/")).length;
  for (let i = likes.length; i < likeFiles; i++) note("duplicated", "a like file nobody acknowledged");
  const commitsPerWrite = new Map<string, number>();
  for (const message of commitMessages) for (const id of writeIdsIn(message)) commitsPerWrite.set(id, (commitsPerWrite.get(id) ?? 0) + 1);
  for (const entry of acked) {
    const commits = commitsPerWrite.get(entry.writeId ?? "") ?? 0;
    if (commits === 0) note("lost", `write ${entry.writeId} is in no commit`);
    if (commits > 1) note("duplicated", `write ${entry.writeId} is in ${commits} commits`);
  }
  return verdict;
}

/** The naive way: likes are users listed in one shared file per document. */
export function verifyNaiveWrites(files: Map<string, Buffer>, acked: readonly AckedWrite[], person: PersonPushes): WriteVerdict {
  const { verdict, note } = checker();
  checkPerson(files, person, note);
  checkMessagesAndProfiles(files, acked, note);
  const likeLists = new Map<string, string[]>();
  for (const entry of acked) {
    if (entry.write.kind !== "like") continue;
    const filePath = naiveLikesPath(entry.write.doc);
    if (!likeLists.has(filePath)) {
      const content = files.get(filePath);
      likeLists.set(filePath, content ? (JSON.parse(content.toString("utf8")) as NaiveLikesFile).users : []);
    }
    const times = likeLists.get(filePath)!.filter((user) => user === entry.write.user).length;
    if (times === 0) note("lost", `${entry.write.user}'s like of ${entry.write.doc} is gone`);
    if (times > 1) note("duplicated", `${entry.write.user}'s like of ${entry.write.doc} is there ${times} times`);
  }
  return verdict;
}

/** Every commit message on the default branch, through the REST API (after the measured run, so not counted in it). */
export async function commitMessages(sim: Simulator, fullName: string): Promise<string[]> {
  const messages: string[] = [];
  for (let page = 1; ; page++) {
    const response = await fetch(`${sim.apiUrl}/repos/${fullName}/commits?per_page=100&page=${page}`, {
      headers: { authorization: `Bearer ${sim.personalAccessToken}` },
    });
    if (!response.ok) throw new Error(`listing commits answered ${response.status}`);
    const commits = (await response.json()) as Array<{ commit: { message: string } }>;
    messages.push(...commits.map((commit) => commit.commit.message));
    if (commits.length < 100) return messages;
  }
}
