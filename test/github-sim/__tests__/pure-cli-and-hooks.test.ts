import { execFileSync } from "node:child_process";
import { pushCommand } from "../control/push-command.js";
import { routePattern } from "../control/route-path.js";
import { newHookSettings, updatedHookSettings } from "../rest/hook-settings.js";
import { RepoHooks } from "../state/repo-hooks.js";
import { type Cli, type CliOption, parseCli, parsePort, UsageError } from "../support/cli-options.js";

const cli: Cli<{ port: CliOption; source: CliOption }> = {
  command: "npm run demo --",
  summary: "A demo.",
  options: {
    port: { type: "string", value: "PORT", description: "gitdisk's port" },
    source: { type: "boolean", description: "from src/" },
  },
  notes: ["Environment: PORT."],
};

describe("command lines", () => {
  test("values, --help and -h, unknown options, a missing value, a stray argument", () => {
    expect(parseCli(cli, ["--port", "3000", "--source"])).toEqual({ kind: "run", values: { port: "3000", source: true } });
    for (const help of [["--help"], ["-h"], ["--port", "1", "--help"]]) {
      const parsed = parseCli(cli, help);
      expect(parsed.kind).toBe("help");
      expect(parsed.kind === "help" && parsed.text).toBe(
        [
          "Usage: npm run demo -- [options]",
          "",
          "A demo.",
          "",
          "Options:",
          "  --port PORT  gitdisk's port",
          "  --source     from src/",
          "  --help       print this help and exit",
          "",
          "Environment: PORT.",
          "",
        ].join("\n"),
      );
    }
    for (const [args, message] of [
      [["--prot", "1"], "Unknown option '--prot'"],
      [["--port"], "Option '--port <value>' argument missing"],
      [["extra"], "Unexpected argument 'extra'"],
    ] as const) {
      const parsed = parseCli(cli, args);
      expect(parsed.kind).toBe("usage-error");
      expect(parsed.kind === "usage-error" && parsed.text).toMatch(
        new RegExp(`^${message}[^\\n]*\\n\\nUsage: npm run demo -- \\[options\\]`),
      );
    }
  });

  test("ports: absent, 0 to 65535, anything else refused naming where it came from", () => {
    expect(parsePort(undefined, "--port")).toBeUndefined();
    expect(parsePort("", "PORT")).toBeUndefined();
    expect(parsePort("0", "--port")).toBe(0);
    expect(parsePort("65535", "--port")).toBe(65535);
    for (const bad of ["65536", "-1", "80x", "1e3", " 80"])
      expect(() => parsePort(bad, "SIM_PORT")).toThrow(
        new UsageError(`SIM_PORT must be a port number (0-65535), not ${JSON.stringify(bad)}`),
      );
  });
});

describe("control routes", () => {
  test("a route's path as a pattern: one segment per :name, the rest of the path for :name*", () => {
    expect(routePattern("/repos/:owner/:repo/push").exec("/repos/octo/site/push")?.slice(1)).toEqual(["octo", "site"]);
    expect(routePattern("/repos/:owner/:repo/push").test("/repos/octo/site/extra/push")).toBe(false);
    expect(routePattern("/repos/:owner/:repo/branches/:branch*").exec("/repos/o/r/branches/feature/x")?.slice(1)).toEqual([
      "o",
      "r",
      "feature/x",
    ]);
    expect(routePattern("").test("")).toBe(true);
  });

  test("the printed push command survives the shell: quotes and newlines reach the body intact", () => {
    const command = pushCommand("http://127.0.0.1:1", "octo/site", { message: "It's", files: { "a b.md": 'line 1\nit\'s "quoted"\n' } });
    const echoed = execFileSync("sh", ["-c", command.replace(/^curl /, "printf '%s\\n' ")], { encoding: "utf8" }).split("\n");
    expect(echoed.slice(0, 6)).toEqual([
      "-X",
      "POST",
      "-H",
      "Content-Type: application/json",
      "http://127.0.0.1:1/_sim/repos/octo/site/push",
      "-d",
    ]);
    expect(JSON.parse(echoed[6]!)).toEqual({ commits: [{ message: "It's", files: { "a b.md": 'line 1\nit\'s "quoted"\n' } }] });
  });
});

describe("repository hook settings", () => {
  const hooks = new RepoHooks();
  const hook = hooks.add(1, newHookSettings({ config: { url: "http://127.0.0.1:1/hook", secret: "s" } }), new Date(0));

  test("GitHub's defaults on creation, and what a body may not say", () => {
    expect(newHookSettings({ config: { url: "https://example.com/h" } })).toEqual({
      url: "https://example.com/h",
      contentType: "form",
      insecureSsl: "0",
      secret: null,
      events: ["push"],
      active: true,
    });
    expect(
      newHookSettings({ config: { url: "https://example.com/h", insecure_ssl: 1, content_type: "json" }, events: ["*"], active: false }),
    ).toMatchObject({ insecureSsl: "1", contentType: "json", events: ["*"], active: false });
    for (const body of [
      {},
      { config: { url: "ftp://example.com" } },
      { config: { url: "http://x/", content_type: "xml" } },
      { name: "email", config: { url: "http://x/" } },
    ]) {
      expect(() => newHookSettings(body)).toThrow(expect.objectContaining({ status: 422 }));
    }
  });

  test("an update keeps what it does not name, except a secret it does not repeat; events are replaced or edited", () => {
    expect(updatedHookSettings(hook, { active: false })).toMatchObject({ secret: "s", url: "http://127.0.0.1:1/hook", active: false });
    expect(updatedHookSettings(hook, { config: { url: "http://127.0.0.1:2/hook" } })).toMatchObject({
      secret: null,
      url: "http://127.0.0.1:2/hook",
      contentType: "form",
    });
    expect(updatedHookSettings(hook, { add_events: ["repository", "push"] }).events).toEqual(["push", "repository"]);
    expect(updatedHookSettings(hook, { events: ["push", "repository"], remove_events: ["push"] }).events).toEqual(["repository"]);
  });

  test("which hooks an event reaches: active ones that subscribed to it or to *", () => {
    const all = hooks.add(1, { ...newHookSettings({ config: { url: "http://127.0.0.1:3/" }, events: ["*"] }) }, new Date(0));
    hooks.add(1, { ...newHookSettings({ config: { url: "http://127.0.0.1:4/" } }), active: false }, new Date(0));
    expect(hooks.subscribed(1, "push").map((found) => found.id)).toEqual([hook.id, all.id]);
    expect(hooks.subscribed(1, "repository").map((found) => found.id)).toEqual([all.id]);
    expect(hooks.subscribed(2, "push")).toEqual([]);
    hooks.removeRepo(1);
    expect(hooks.list(1)).toEqual([]);
  });
});
