/**
 * What the campaign's parent (the vendor side: simulators) tells a POS child process so it can build its terminal,
 * and the line protocol between them (JSON lines: commands on the child's stdin, events on its stdout).
 */
import type { Outcome } from "@payspec/terminal";

export type PosConfig =
  | {
      readonly protocol: "wepay";
      readonly baseUrl: string;
      readonly credentials: { readonly appId: string; readonly appToken: string };
      readonly accountId: string;
    }
  | {
      readonly protocol: "stripe-terminal";
      readonly baseUrl: string;
      readonly secretKey: string;
      readonly location: string;
    }
  | {
      readonly protocol: "payneteasy";
      readonly baseUrl: string;
      readonly endpointId: string;
      readonly credentials: { readonly login: string; readonly merchantControlKey: string };
      /** The card the simulated mPOS reader reads (a test card). */
      readonly pan: string;
    }
  | { readonly protocol: "hipay-ecr"; readonly baseUrl: string; readonly login: string; readonly password: string }
  | {
      readonly protocol: "nexo";
      readonly terminalUrl: string;
      readonly poiId: string;
      readonly saleId: string;
      /** The POS listener port the terminal simulator was told about (each POS process binds it again). */
      readonly listenerPort: number;
    };

/** Where a POS child stops dead, waiting to be killed. */
export type Hold =
  /** the journal entry is durable, nothing has left yet */
  | { readonly at: "journalled" }
  /** the n-th HTTP answer of this payment arrived (the vendor did its part), the adapter has not seen it */
  | { readonly at: "answered"; readonly n: number };

/** A transport fault put on the n-th HTTP request of a payment (through the simulators' `Payspec-Fault` header). */
export type InjectedFault = "drop-after-commit" | "reset" | "busy" | "disconnect" | "timeout";

export interface Injection {
  readonly n: number;
  readonly fault: InjectedFault;
}

export interface PosStart {
  readonly config: PosConfig;
  readonly journalPath: string;
}

export type PosCommand =
  | {
      readonly op: "pay";
      readonly amount: number;
      readonly currency: string;
      readonly reference: string;
      readonly hold?: Hold;
      readonly inject?: Injection;
    }
  | { readonly op: "exit" };

export type PosEvent =
  /** connected: the journal was opened and reconciled (`reconciled` = outcomes learned; `open` = entries left open) */
  | { readonly event: "ready"; readonly reconciled: readonly Outcome[]; readonly open: number }
  | { readonly event: "held"; readonly reference: string; readonly at: Hold["at"] }
  | { readonly event: "outcome"; readonly reference: string; readonly outcome: Outcome; readonly exchanges: number }
  /** `pay` threw (typically OutcomeUnknownError: the entry stays open until a reconcile) */
  | { readonly event: "error"; readonly reference?: string; readonly message: string };
