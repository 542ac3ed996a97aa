/**
 * Guards for every loop over a remote listing (DESIGN rule 8): a token seen before, or more pages
 * than any real account has, stops the loop with an error the collector records, so that scope
 * is ERROR and the report incomplete. (The audit's deadline aborts the calls themselves; see
 * clients.ts.) The SDK's own `stopOnSameToken` would end such a listing silently, as if complete.
 */

/**
 * Pages per operation (and region) before we give up. Far above any real account: Lightsail
 * caps an account at 20 instances by default, and IAM and SSM pages hold 50 to 100 items.
 */
export const MAX_PAGES = 1_000;

/** Why an answer cannot be trusted as a complete listing; `name` is what the report records. */
export class ListingError extends Error {
  constructor(
    name: "RepeatedPageToken" | "PageLimitExceeded" | "MissingListMember",
    message: string,
  ) {
    super(message);
    this.name = name;
  }
}

/**
 * Returns a function to call with each page's next-page token, in order: it returns the token to
 * ask for next (undefined when the listing is done) and throws a ListingError when the token was
 * seen before or `maxPages` pages have been read with more to come.
 */
export function pageGuard(operation: string, maxPages = MAX_PAGES) {
  const seen = new Set<string>();
  let pages = 0;
  return (next: string | undefined): string | undefined => {
    pages += 1;
    if (!next) return undefined;
    if (seen.has(next)) {
      throw new ListingError(
        "RepeatedPageToken",
        `${operation} returned a page token it had already returned (after ${pages} pages): the listing would never end`,
      );
    }
    if (pages >= maxPages) {
      throw new ListingError(
        "PageLimitExceeded",
        `${operation} still had more pages after ${pages} pages: stopped (no real account has that many)`,
      );
    }
    seen.add(next);
    return next;
  };
}

/**
 * Wraps an SDK v3 paginator (`paginateXxx(...)`): yields its pages, and throws before the next
 * request when the guard refuses the page's token. `tokenOf` reads the same member the paginator
 * follows (`NextToken` for SSM, `Marker` for IAM).
 *
 * @example
 * for await (const page of guarded("ListGroups", paginateListGroups({ client }, {}), (p) => p.Marker))
 */
export async function* guarded<P>(
  operation: string,
  pages: AsyncIterable<P>,
  tokenOf: (page: P) => string | undefined,
  maxPages = MAX_PAGES,
): AsyncGenerator<P, void, undefined> {
  const guard = pageGuard(operation, maxPages);
  for await (const page of pages) {
    // Throwing here returns the paginator before it sends the next request.
    guard(tokenOf(page));
    yield page;
  }
}
