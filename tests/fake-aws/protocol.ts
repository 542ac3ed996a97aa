/**
 * The small wire helpers shared by the service handlers: the error type, paging tokens, awsQuery
 * form parsing, and XML rendering.
 *
 * awsQuery XML conventions (what the SDK's XmlShapeDeserializer reads): a list is an element whose
 * children are `<member>`; a map is `<entry><key/><value/></entry>` children (or other names when
 * the model says so); the operation's output sits in `<XResult>` inside `<XResponse>`, and the SDK
 * reads nothing outside that wrapper.
 */

/** An AWS error. The server renders it per protocol (JSON `__type` or XML `<Error><Code>`). */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members for the JSON body (Lightsail sends `code`, `docs`, `tip`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AwsError";
  }
}

/** Opaque paging token: base64 of the offset of the next page. */
export function paginate<T>(
  items: readonly T[],
  token: string | undefined,
  size: number,
  invalidToken: () => AwsError,
): { page: T[]; next?: string } {
  let start = 0;
  if (token !== undefined && token !== "") {
    const decoded = Buffer.from(token, "base64url").toString();
    const match = /^offset:(\d+)$/.exec(decoded);
    if (!match) throw invalidToken();
    start = Number(match[1]);
  }
  const end = start + size;
  const page = items.slice(start, end);
  return end < items.length
    ? { page, next: Buffer.from(`offset:${end}`).toString("base64url") }
    : { page };
}

/** The flat `Key.member.1=value` pairs of an awsQuery form body. */
export type QueryParams = Record<string, string>;

export function parseQuery(body: string): QueryParams {
  return Object.fromEntries(new URLSearchParams(body));
}

/** A map rendered as `<entry><key>…</key><value>…</value></entry>`. */
export class XmlMap {
  constructor(readonly entries: Record<string, XmlValue>) {}
}

export type XmlValue = string | number | boolean | undefined | XmlMap | XmlValue[] | XmlObject;
export interface XmlObject {
  [element: string]: XmlValue;
}

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** Renders one element. `undefined` renders nothing, the way AWS omits absent members. */
export function toXml(name: string, value: XmlValue): string {
  if (value === undefined) return "";
  let inner: string;
  if (Array.isArray(value)) {
    inner = value.map((item) => toXml("member", item)).join("");
  } else if (value instanceof XmlMap) {
    inner = Object.entries(value.entries)
      .map(([key, v]) => `<entry><key>${escapeXml(key)}</key>${toXml("value", v)}</entry>`)
      .join("");
  } else if (typeof value === "object") {
    inner = Object.entries(value)
      .map(([child, v]) => toXml(child, v))
      .join("");
  } else {
    inner = escapeXml(String(value));
  }
  return `<${name}>${inner}</${name}>`;
}

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…` */
export function queryResponse(
  action: string,
  xmlns: string,
  result: XmlObject,
  requestId: string,
): string {
  return (
    `<${action}Response xmlns="${xmlns}">${toXml(`${action}Result`, result)}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function queryError(error: AwsError, xmlns: string, requestId: string): string {
  const type = error.status >= 500 ? "Receiver" : "Sender";
  return (
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
