/**
 * Where a webhook goes and how it is sent: the app's hook, or a repository webhook. Read when a
 * delivery starts, so a held delivery follows a hook edited meanwhile, as GitHub's queue does.
 */
export interface HookEndpoint {
  /** X-GitHub-Hook-ID. */
  id: number;
  /** X-GitHub-Hook-Installation-Target-Type, with the app's or the repository's id as the target id. */
  targetType: "integration" | "repository";
  targetId: number;
  /** null: nowhere to send (recorded as "no-target"). */
  url: string | null;
  /** null: deliveries are not signed. */
  secret: string | null;
  contentType: "json" | "form";
  /** "1": the TLS certificate of the URL is not verified. */
  insecureSsl: "0" | "1";
  /** The outcome of the latest delivery ("unused" before the first). */
  lastResponse: { code: number | null; status: string; message: string | null };
}
