import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { freePort } from "../../helpers/free-port.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { killScripts, runTsxScript } from "./helpers/script-process.js";

/** Every script gets a TMPDIR of its own, so what it leaves behind is visible and no one else's. */
let tmp: { dir: string; cleanup: () => void };
beforeEach(() => (tmp = makeTempDir("sim-scripts-")));
afterEach(() => {
  killScripts();
  tmp.cleanup();
});

/** What a script left in its TMPDIR, apart from tsx's compile cache. */
/** Each test starts node and tsx a few times: seconds each on a loaded machine. */
const SCRIPT_TEST_MS = 90_000;

const leftovers = () => fs.readdirSync(tmp.dir).filter((name) => !name.startsWith("tsx-"));
const announced = (output: string, label: RegExp) => label.exec(output)?.[1];

describe("--help and unknown options", () => {
  test.each([
    ["test/github-sim/main.ts", "--webhook-secret SECRET"],
    ["test/github-sim/demo.ts", "--sim-port PORT"],
    ["bench/run.ts", "--workloads LIST"],
  ])(
    "%s --help prints its options and exits 0; an unknown option prints the usage and exits 2, without a stack",
    async (script, option) => {
      const help = runTsxScript(script, ["--help"], { TMPDIR: tmp.dir });
      expect(await help.exited).toBe(0);
      expect(help.stdout()).toContain(option);
      const wrong = runTsxScript(script, ["--no-such-option"], { TMPDIR: tmp.dir });
      expect(await wrong.exited).toBe(2);
      expect(wrong.stderr()).toMatch(/^Unknown option '--no-such-option'\n\nUsage: npm run /);
      expect(wrong.stderr()).not.toMatch(/\n\s+at /);
      expect(leftovers()).toEqual([]);
    },
    SCRIPT_TEST_MS,
  );
});

describe("npm run sim", () => {
  test(
    "listens on the port it is given, and Ctrl-C removes the temporary folder it announced",
    async () => {
      const port = await freePort();
      const sim = runTsxScript("test/github-sim/main.ts", ["--port", String(port)], { TMPDIR: tmp.dir });
      const output = await sim.waitFor(/Ctrl-C stops/);
      expect(output).toContain(`listening on http://127.0.0.1:${port}`);
      const dataDir = announced(output, /data folder {2}(\S+)/)!;
      expect(fs.existsSync(`${dataDir}/gitdisk.env`)).toBe(true);
      const listed = (await (await fetch(`http://127.0.0.1:${port}/_sim`)).json()) as { routes: Array<{ method: string; path: string }> };
      for (const route of listed.routes) expect(output).toContain(`${route.method} ${route.path} `);
      sim.child.kill("SIGINT");
      expect(await sim.exited).toBe(0);
      expect(fs.existsSync(dataDir)).toBe(false);
      expect(leftovers()).toEqual([]);
    },
    SCRIPT_TEST_MS,
  );

  test(
    "PORT works like --port; a --data-dir given by the user is kept",
    async () => {
      const port = await freePort();
      const own = `${tmp.dir}/mine`;
      const sim = runTsxScript("test/github-sim/main.ts", ["--data-dir", own], { TMPDIR: tmp.dir, PORT: String(port) });
      expect(await sim.waitFor(/Ctrl-C stops/)).toContain(`listening on http://127.0.0.1:${port}`);
      sim.child.kill("SIGTERM");
      expect(await sim.exited).toBe(0);
      expect(fs.readdirSync(own)).toEqual(expect.arrayContaining(["app-private-key.pem", "gitdisk.env"]));
      expect(leftovers()).toEqual(["mine"]);
    },
    SCRIPT_TEST_MS,
  );

  test(
    "a port in use is one line and exit 1, with nothing left behind",
    async () => {
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
      try {
        const sim = runTsxScript("test/github-sim/main.ts", ["--port", String((taken.address() as net.AddressInfo).port)], {
          TMPDIR: tmp.dir,
        });
        expect(await sim.exited).toBe(1);
        expect(sim.stderr()).toMatch(/^github-sim: listen EADDRINUSE[^\n]*\n$/);
        expect(leftovers()).toEqual([]);
      } finally {
        taken.close();
      }
    },
    SCRIPT_TEST_MS,
  );
});

describe("npm run demo", () => {
  test(
    "on the ports it is given, its printed push command changes what gitdisk serves; Ctrl-C removes its folders",
    async () => {
      const [port, simPort] = [await freePort(), await freePort()];
      const demo = runTsxScript("test/github-sim/demo.ts", ["--source", "--port", String(port), "--sim-port", String(simPort)], {
        TMPDIR: tmp.dir,
      });
      const output = await demo.waitFor(/Ctrl-C stops the demo/, 90_000);
      const folders = announced(output, /Temporary folders, removed on exit: (.+)\n/)!.split(", ");
      expect(folders).toHaveLength(2);
      for (const folder of folders) expect(fs.existsSync(folder)).toBe(true);
      const push = /^\s*(curl -X POST -H 'Content-Type: application\/json' 'http:\/\/127\.0\.0\.1:\d+\/_sim\/.*)$/m.exec(output)![1]!;
      expect(push).toContain(`127.0.0.1:${simPort}/_sim/repos/octo/site/push`);
      execFileSync("sh", ["-c", `${push} --silent --fail`]);
      const file = `http://127.0.0.1:${port}/v1/repos/octo/site/files/content/posts/hello-world.md`;
      let served = "";
      for (let attempt = 0; attempt < 50 && !served.includes("edited through the simulator"); attempt++) {
        served = await (await fetch(file)).text();
        await delay(100);
      }
      expect(served).toContain("edited through the simulator");
      // The signed-in visitor's printed write goes through as hers.
      const session = /^\s*(SESSION=\S+)$/m.exec(output)![1]!;
      const visitorWrite = /^\s*(curl -X POST -H "Authorization: Bearer \$SESSION" .*)$/m.exec(output)![1]!;
      const answer = JSON.parse(execFileSync("sh", ["-c", `${session}; ${visitorWrite} --silent --fail`]).toString("utf8"));
      expect(answer).toMatchObject({ status: "committed", path: expect.stringMatching(/^data\/messages\//) });
      demo.child.kill("SIGINT");
      expect(await demo.exited).toBe(0);
      for (const folder of folders) expect(fs.existsSync(folder)).toBe(false);
      expect(leftovers()).toEqual([]);
    },
    2 * SCRIPT_TEST_MS,
  );
});
