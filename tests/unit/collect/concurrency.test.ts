/** mapLimit: results in input order, never more than `limit` calls in flight, empty input. */
import { describe, expect, it } from "vitest";
import { mapLimit } from "../../../shared/collect/concurrency";

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Lets every pending promise callback run (a macrotask turn; no clock involved). */
const settle = () => new Promise<void>((r) => setImmediate(r));

/**
 * Calls that wait until the test releases them, counting how many are running at once.
 * `release(i)` lets item i's call finish with `value`.
 */
function gatedCalls<T>(count: number) {
  const gates = Array.from({ length: count }, () => deferred<T>());
  const started: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fn = async (_item: unknown, index: number) => {
    started.push(index);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const value = await (gates[index] as Deferred<T>).promise;
    inFlight -= 1;
    return value;
  };
  return {
    fn,
    started,
    release: (index: number, value: T) => (gates[index] as Deferred<T>).resolve(value),
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
  };
}

describe("mapLimit", () => {
  it("keeps the input order although later items finish first", async () => {
    // Prepare
    const items = ["a", "b", "c", "d"];
    const calls = gatedCalls<string>(items.length);

    // Act: finish in reverse order.
    const run = mapLimit(items, 4, calls.fn);
    await settle();
    for (const i of [3, 2, 1, 0]) {
      calls.release(i, `${items[i]}!`);
      await settle();
    }
    const results = await run;

    // Assess
    expect(results).toEqual(["a!", "b!", "c!", "d!"]);
  });

  it("never has more than `limit` calls in flight, and starts the next as one finishes", async () => {
    // Prepare
    const items = [0, 1, 2, 3, 4, 5, 6];
    const calls = gatedCalls<number>(items.length);

    // Act
    const run = mapLimit(items, 3, calls.fn);
    await settle();
    const startedBeforeAnyFinished = [...calls.started];
    calls.release(1, 10);
    await settle();
    const startedAfterOneFinished = [...calls.started];
    for (const i of items) {
      calls.release(i, i * 10);
      await settle();
      expect(calls.inFlight).toBeLessThanOrEqual(3);
    }
    const results = await run;

    // Assess
    expect(startedBeforeAnyFinished).toEqual([0, 1, 2]);
    expect(startedAfterOneFinished).toEqual([0, 1, 2, 3]);
    expect(calls.maxInFlight).toBe(3);
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60]);
  });

  it("runs one at a time with limit 1, and treats a limit below 1 as 1", async () => {
    for (const limit of [1, 0, -5]) {
      const calls = gatedCalls<number>(3);
      const run = mapLimit([7, 8, 9], limit, calls.fn);
      for (const i of [0, 1, 2]) {
        await settle();
        expect(calls.started).toEqual([0, 1, 2].slice(0, i + 1));
        calls.release(i, i);
      }
      await expect(run).resolves.toEqual([0, 1, 2]);
      expect(calls.maxInFlight).toBe(1);
    }
  });

  it("passes each item with its index", async () => {
    const seen: [string, number][] = [];

    await mapLimit(["x", "y", "z"], 2, async (item, index) => {
      seen.push([item, index]);
    });

    expect(seen.sort((a, b) => a[1] - b[1])).toEqual([
      ["x", 0],
      ["y", 1],
      ["z", 2],
    ]);
  });

  it("returns [] for empty input without calling fn", async () => {
    let called = 0;

    const results = await mapLimit([], 5, async () => {
      called += 1;
    });

    expect(results).toEqual([]);
    expect(called).toBe(0);
  });

  it("rejects with the error when fn throws", async () => {
    const boom = new Error("boom");

    const run = mapLimit([1, 2, 3], 2, async (n) => {
      if (n === 2) throw boom;
      return n;
    });

    await expect(run).rejects.toBe(boom);
  });
});
