import { randomUUID } from "node:crypto";
import type { Probot, ProbotOctokit } from "probot";
import { AppliedCommits } from "../applied-commits.js";
import { BranchHeads } from "../branch-heads.js";
import type { SyncConfig } from "../config/sync-config.js";
import { runPool } from "../run-pool.js";
import type { MirrorStore, RepoState } from "../store/store.js";
import { type HandlerDeps, repoContext } from "./handler-deps.js";
import { healRepo } from "./heal-repo.js";
import { onInstallation, onInstallationRepositories } from "./on-installation.js";
import { onPush } from "./on-push.js";
import { onRepository } from "./on-repository.js";
import { reconcileInstallations } from "./reconcile-installations.js";
import { RepoTasks } from "./repo-tasks.js";
import { RepoVisibility } from "./repo-visibility.js";
import { screenDeliveries } from "./screen-deliveries.js";

export interface SyncService {
  /**
   * Mirrors what the app is installed on but gitdisk does not mirror, purges what it no longer is
   * (not in token mode, which has no installations), then compares every mirror with its branch head and catches up.
   */
  healAll(): Promise<void>;
  /** Brings one repository up to its branch's live head now; its state afterwards (null if not mirrored). */
  syncRepo(repoId: number): Promise<RepoState | null>;
  /** Stops the heal timer and waits for running syncs. */
  stop(): Promise<void>;
}

export interface SyncDeps {
  store: MirrorStore;
  config: SyncConfig;
  /** A personal access token instead of a GitHub App: no installations to list or authenticate as. */
  tokenMode: boolean;
  /** The clock behind `lastSyncAt`. */
  now?: () => Date;
  /** Where pushes are announced for the write-back (shared with it). */
  heads?: BranchHeads;
  /** Where the write-back announces the commits it applied itself (shared with it). */
  appliedCommits?: AppliedCommits;
}

/** The first heal runs soon after start-up, to repair what was missed while the app was down. */
const FIRST_HEAL_DELAY_MS = 5_000;
/** Repositories healed at the same time; more would only queue behind Octokit's throttling. */
const HEALS_AT_ONCE = 4;

/**
 * The sync engine: mirrors repositories on install, applies pushes, follows repository changes,
 * and heals every `healIntervalMs` what webhooks missed.
 */
export function startSync(
  app: Probot,
  { store, config, tokenMode, now = () => new Date(), heads = new BranchHeads(), appliedCommits = new AppliedCommits() }: SyncDeps,
): SyncService {
  const log = app.log.child({ name: "sync" });
  const tasks = new RepoTasks(store, now);
  const deps: HandlerDeps = { store, tasks, tokenMode, heads, appliedCommits, visibility: new RepoVisibility(store) };

  screenDeliveries(app.webhooks, { store, log, now: () => now().getTime() });
  app.on("push", onPush(deps));
  app.on(["installation.created", "installation.deleted"], onInstallation(deps));
  app.on(["installation_repositories.added", "installation_repositories.removed"], onInstallationRepositories(deps));
  app.on("repository", onRepository(deps));

  const canReach = (repo: RepoState) => tokenMode || repo.installationId !== null;
  // Whom this engine claims periodic heals as: another process (or a scheduled function) sharing the store skips what it healed lately.
  const healer = `sync-${randomUUID()}`;
  const claimHeal = (repo: RepoState) => store.claimHeal(repo.id, healer, config.healIntervalMs, now().getTime());
  const octokitFor = (repo: RepoState): Promise<ProbotOctokit> => (tokenMode ? app.auth() : app.auth(repo.installationId ?? undefined));

  const heal = (repo: RepoState): Promise<void> => {
    const repoLog = log.child({ repo: `${repo.owner}/${repo.name}`, repoId: repo.id });
    return tasks.run(repo.id, repoLog, async () => {
      const current = await store.getRepo(repo.id);
      if (!current) return null;
      const octokit = await octokitFor(current);
      return healRepo(repoContext(deps, octokit, current.owner, current.name, repoLog), current.id);
    });
  };

  /** The repositories mirrored just now from the installation list; a failed listing is logged and changes nothing. */
  const reconcile = async (): Promise<Set<number>> => {
    if (tokenMode) return new Set();
    try {
      return await reconcileInstallations(deps, app, log);
    } catch (error) {
      log.error({ err: error }, "could not list the app's installations: nothing mirrored or purged from them this time");
      return new Set();
    }
  };

  let healing: Promise<void> | undefined;
  const healAll = (): Promise<void> => {
    healing ??= (async () => {
      try {
        const mirroredNow = await reconcile();
        const reachable = (await store.listRepos()).filter((repo) => canReach(repo) && !mirroredNow.has(repo.id));
        const due: RepoState[] = [];
        for (const repo of reachable) if (await claimHeal(repo)) due.push(repo);
        // Side by side, so that one repository slow to mirror (a huge tarball) does not hold back the others'
        // checks: a repository made private while its webhook was lost is closed within the round.
        await runPool(due, HEALS_AT_ONCE, async (repo) => {
          if (!tasks.stopped) await heal(repo);
        });
      } catch (error) {
        log.error({ err: error }, "healing could not list the mirrored repositories");
      } finally {
        healing = undefined;
      }
    })();
    return healing;
  };

  const timers: NodeJS.Timeout[] = [];
  if (config.healIntervalMs > 0) {
    timers.push(setTimeout(() => void healAll(), Math.min(FIRST_HEAL_DELAY_MS, config.healIntervalMs)).unref());
    timers.push(setInterval(() => void healAll(), config.healIntervalMs).unref());
  }

  return {
    healAll,
    async syncRepo(repoId) {
      const repo = await store.getRepo(repoId);
      if (!repo) return null;
      if (canReach(repo)) await heal(repo);
      return store.getRepo(repoId);
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await tasks.stop();
      await healing;
    },
  };
}
