import { KeyedQueue } from "../../../src/sync/keyed-queue.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("KeyedQueue", () => {
  it("runs tasks of one key one at a time, in order, and other keys alongside", async () => {
    const queue = new KeyedQueue<number>();
    const log: string[] = [];
    const gates: Record<string, () => void> = {};
    const task = (name: string) => () =>
      new Promise<string>((resolve) => {
        log.push(`start ${name}`);
        gates[name] = () => {
          log.push(`end ${name}`);
          resolve(name);
        };
      });
    const a1 = queue.run(1, task("a1"));
    const a2 = queue.run(1, task("a2"));
    const b1 = queue.run(2, task("b1"));
    await tick();
    expect(log).toEqual(["start a1", "start b1"]);
    gates.a1!();
    await expect(a1).resolves.toBe("a1");
    await tick();
    expect(log).toEqual(["start a1", "start b1", "end a1", "start a2"]);
    gates.a2!();
    gates.b1!();
    await expect(Promise.all([a2, b1])).resolves.toEqual(["a2", "b1"]);
  });

  it("runs the next task after a failure, and passes the failure to its caller", async () => {
    const queue = new KeyedQueue<string>();
    const failed = queue.run("k", async () => {
      throw new Error("boom");
    });
    const next = queue.run("k", async () => "after");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("after");
  });

  it("idle() waits for queued work, including work queued meanwhile", async () => {
    const queue = new KeyedQueue<number>();
    const done: number[] = [];
    void queue.run(1, async () => {
      await tick();
      done.push(1);
      void queue.run(2, async () => {
        await tick();
        done.push(2);
      });
    });
    await queue.idle();
    expect(done).toEqual([1, 2]);
  });
});
