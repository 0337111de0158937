/**
 * A control route's path ("/repos/:owner/:repo/branches/:branch*") as a pattern: ":name" matches
 * one path segment, ":name*" the rest of the path (branch names hold slashes).
 */
export function routePattern(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) =>
      segment.endsWith("*") && segment.startsWith(":")
        ? "(.+)"
        : segment.startsWith(":")
          ? "([^/]+)"
          : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${source}$`);
}
