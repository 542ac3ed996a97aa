/**
 * Vitest setup: tests never reach the internet. Node's fetch (the wordpress.org client's) refuses
 * any host but 127.0.0.1 at once, so a test that forgot the loopback fake of wordpress.org gets
 * "wordpress.org could not be reached" (ERROR results), never a real answer or a slow timeout.
 */
const realFetch = globalThis.fetch;
globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== "127.0.0.1") {
    return Promise.reject(
      Object.assign(new Error(`tests reach 127.0.0.1 only, not ${url.host}`), {
        name: "LoopbackOnly",
      }),
    );
  }
  return realFetch(input, init);
}) as typeof fetch;
