import type { HookEndpoint } from "../webhooks/hook-endpoint.js";

/** A repository webhook (`POST /repos/{owner}/{repo}/hooks`): where it sends, and which events. */
export interface RepoHook extends HookEndpoint {
  targetType: "repository";
  url: string;
  active: boolean;
  /** Event names; "*" subscribes to every event. */
  events: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** Whether a hook subscribed to `event` ("*" subscribes to every event). */
export function receives(hook: RepoHook, event: string): boolean {
  return hook.events.includes("*") || hook.events.includes(event);
}

export type RepoHookSettings = Pick<RepoHook, "url" | "secret" | "contentType" | "insecureSsl" | "active" | "events">;

/** Every repository's webhooks, in the order they were created. */
export class RepoHooks {
  private readonly byRepo = new Map<number, RepoHook[]>();
  private nextId = 40001;

  add(repoId: number, settings: RepoHookSettings, now: Date): RepoHook {
    const hook: RepoHook = {
      ...settings,
      id: this.nextId++,
      targetType: "repository",
      targetId: repoId,
      createdAt: now,
      updatedAt: now,
      lastResponse: { code: null, status: "unused", message: null },
    };
    this.byRepo.set(repoId, [...this.list(repoId), hook]);
    return hook;
  }

  list(repoId: number): RepoHook[] {
    return this.byRepo.get(repoId) ?? [];
  }

  get(repoId: number, hookId: number): RepoHook | undefined {
    return this.list(repoId).find((hook) => hook.id === hookId);
  }

  remove(repoId: number, hookId: number): void {
    this.byRepo.set(
      repoId,
      this.list(repoId).filter((hook) => hook.id !== hookId),
    );
  }

  /** A deleted repository's hooks go with it. */
  removeRepo(repoId: number): void {
    this.byRepo.delete(repoId);
  }

  /** The active hooks of a repository that receive `event`. */
  subscribed(repoId: number, event: string): RepoHook[] {
    return this.list(repoId).filter((hook) => hook.active && receives(hook, event));
  }
}
