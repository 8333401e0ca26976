/**
 * How a connect reaches a reader. The Terminal SDK holds a connection to the reader; a server-driven
 * backend has none, so the default link reads the reader through the API and applies the seed's
 * `failIfInUse` table to what it sees. A test (or an SDK bridge) passes its own link.
 */
import type { StripeTerminalClient } from "@payspec/stripe-terminal-client";
import type { Reader } from "@payspec/stripe-terminal-types";
import { ReaderDisconnectedError, ReaderInUseError } from "./errors.js";

/** A live connection to one reader. */
export interface ReaderConnection {
  readonly readerId: string;
  /** False once another connection took the reader over or it went offline (the old SDK's next command fails). */
  isConnected(): boolean | Promise<boolean>;
  disconnect(): void | Promise<void>;
}

export interface ReaderLink {
  /**
   * Connects with a connection token fetched for this connect only. Throws `ReaderInUseError` when
   * `failIfInUse` is set and the reader is in the middle of a payment.
   */
  connect(reader: Reader, connectionToken: string, config: { failIfInUse: boolean }): Promise<ReaderConnection>;
}

/** A payment is being collected: any action in progress but a cart on the screen. */
export function isCollecting(reader: Reader): boolean {
  return reader.action?.status === "in_progress" && reader.action.type !== "set_reader_display";
}

/** The server-driven link: the reader must be online; with `failIfInUse`, not collecting a payment. */
export function serverDrivenLink(client: StripeTerminalClient): ReaderLink {
  const online = async (id: string): Promise<Reader | undefined> => {
    const reader = await client.readersRetrieve({ reader: id });
    return (reader as { deleted?: boolean }).deleted === true ? undefined : (reader as Reader);
  };
  return {
    async connect(reader, _token, config) {
      const fresh = await online(reader.id);
      if (!fresh || fresh.status === "offline") throw new ReaderDisconnectedError(`reader ${reader.id} is offline`);
      if (config.failIfInUse && isCollecting(fresh)) {
        throw new ReaderInUseError(`reader ${reader.id} is in the middle of a payment (failIfInUse)`);
      }
      let connected = true;
      return {
        readerId: reader.id,
        async isConnected() {
          if (!connected) return false;
          const now = await online(reader.id).catch(() => undefined);
          return now !== undefined && now.status !== "offline";
        },
        disconnect() {
          connected = false;
        },
      };
    },
  };
}
