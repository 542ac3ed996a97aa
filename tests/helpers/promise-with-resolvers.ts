/**
 * aws-local-stepfunctions declares Node 22 and uses Promise.withResolvers, which Node 20 lacks:
 * the only polyfill it needs here (DESIGN, tooling facts). Import before the package.
 */
const P = Promise as unknown as { withResolvers?: unknown };
if (typeof P.withResolvers !== "function") {
  P.withResolvers = <T>() => {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
