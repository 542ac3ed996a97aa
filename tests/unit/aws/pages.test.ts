import { describe, expect, it } from "vitest";
import { guarded, MAX_PAGES, pageGuard } from "../../../shared/aws/pages";

/** A paginator that yields the given tokens' pages and counts how many it was asked for. */
function pagesOf(tokens: (string | undefined)[]) {
  const asked = { count: 0 };
  async function* pages() {
    for (const next of tokens) {
      asked.count += 1;
      yield { next };
    }
  }
  return { pages: pages(), asked };
}

async function drain(iterable: AsyncIterable<unknown>) {
  for await (const _ of iterable) {
    // read every page
  }
}

describe("pageGuard / guarded", () => {
  it("lets a listing end normally", async () => {
    const { pages, asked } = pagesOf(["a", "b", undefined]);
    await drain(guarded("ListX", pages, (p) => p.next));
    expect(asked.count).toBe(3);
  });

  it("stops on a token seen before, also in a cycle (a, b, a), before asking for more", async () => {
    const { pages, asked } = pagesOf(["a", "b", "a", "b", undefined]);
    await expect(drain(guarded("ListX", pages, (p) => p.next))).rejects.toMatchObject({
      name: "RepeatedPageToken",
      message:
        "ListX returned a page token it had already returned (after 3 pages): the listing would never end",
    });
    expect(asked.count).toBe(3);
  });

  it("stops after MAX_PAGES pages that all say there is more", () => {
    const guard = pageGuard("GetX");
    for (let i = 1; i < MAX_PAGES; i++) expect(guard(`t${i}`)).toBe(`t${i}`);
    expect(() => guard("one-more")).toThrow(
      "GetX still had more pages after 1000 pages: stopped (no real account has that many)",
    );
  });

  it("allows exactly MAX_PAGES pages when the last one ends the listing", () => {
    const guard = pageGuard("GetX");
    for (let i = 1; i < MAX_PAGES; i++) guard(`t${i}`);
    expect(guard(undefined)).toBeUndefined();
  });
});
