/**
 * The transport seam: generated clients build a `TransportRequest` and hand it to whatever
 * `Transport` the user injected (the fetch one by default, a mock in tests, a recording
 * proxy in conformance runs).
 */

export interface TransportRequest {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
  /** The caller's signal: aborting it ends the request with `AbortedError`. */
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string>>;
  body: Uint8Array | string;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

const utf8 = new TextDecoder("utf-8");

/** The response body as text (UTF-8; malformed bytes become U+FFFD). Codecs that need strictness take the bytes. */
export function responseText(response: Pick<TransportResponse, "body">): string {
  return typeof response.body === "string" ? response.body : utf8.decode(response.body);
}
