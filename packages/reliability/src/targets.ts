/**
 * The servers under attack: each protocol's simulator behind its generated server, with the operation table, the
 * spec's examples (seeds for mutation), a valid authenticator and the validators that decide whether an answer is in
 * the vendor's shape.
 */
import { HIPAY_SIMULATOR_CREDENTIALS, startSimulators } from "@payspec/cli";
import type { Authenticator, OperationDescriptor, XmlShapes } from "@payspec/runtime";

export type ProtocolName = "wepay" | "stripe-terminal" | "payneteasy" | "hipay-ecr" | "nexo";
export const PROTOCOLS: readonly ProtocolName[] = ["wepay", "stripe-terminal", "payneteasy", "hipay-ecr", "nexo"];

export interface Example {
  readonly input: object;
}

export interface FuzzTarget {
  readonly protocol: ProtocolName;
  /** Operations the simulator serves (not those a merchant or POS serves: Payneteasy's callback, nexo's POS listener). */
  readonly operations: readonly OperationDescriptor[];
  readonly examples: Readonly<Record<string, readonly Example[]>>;
  readonly auth: Authenticator;
  /** An authenticator with wrong credentials of the right form. */
  readonly wrongAuth: Authenticator;
  readonly xmlShapes: XmlShapes;
  /** `validate<Message>` of the protocol's validators package, by message name. */
  validator(message: string): ((value: unknown) => boolean) | undefined;
}

export interface RunningTarget extends FuzzTarget {
  readonly url: string;
  close(): Promise<void>;
}

type Module = Readonly<Record<string, unknown>>;

function validatorOf(validators: Module) {
  return (message: string) => {
    const candidate = validators[`validate${message}`];
    return typeof candidate === "function" ? (candidate as (value: unknown) => boolean) : undefined;
  };
}

function served(table: Module, skip: readonly string[] = []): OperationDescriptor[] {
  return Object.values(table as Record<string, OperationDescriptor>).filter((op) => !skip.includes(op.id));
}

/** Loads a protocol's tables and starts its simulator on a free loopback port. */
export async function startTarget(protocol: ProtocolName): Promise<RunningTarget> {
  const [simulator] = await startSimulators([protocol]);
  if (simulator === undefined) throw new Error(`no simulator for ${protocol}`);
  const target = await load(protocol);
  return { ...target, url: simulator.url, close: () => simulator.close() };
}

async function load(protocol: ProtocolName): Promise<FuzzTarget> {
  switch (protocol) {
    case "wepay": {
      const [server, client, validators] = await Promise.all([
        import("@payspec/wepay-server"),
        import("@payspec/wepay-client"),
        import("@payspec/wepay-validators"),
      ]);
      return {
        protocol,
        operations: served(server.operations),
        examples: server.examples,
        auth: client.wepayAuth(server.WEPAY_SIMULATOR_CREDENTIALS),
        wrongAuth: client.wepayAuth({ appId: server.WEPAY_SIMULATOR_CREDENTIALS.appId, appToken: "wrong-app-token" }),
        xmlShapes: server.xmlShapes as XmlShapes,
        validator: validatorOf(validators),
      };
    }
    case "stripe-terminal": {
      const [server, client, validators] = await Promise.all([
        import("@payspec/stripe-terminal-server"),
        import("@payspec/stripe-terminal-client"),
        import("@payspec/stripe-terminal-validators"),
      ]);
      return {
        protocol,
        operations: served(server.operations),
        examples: server.examples,
        auth: client.stripeAuth({ secretKey: server.SIMULATOR_SECRET_KEY }),
        wrongAuth: client.stripeAuth({ secretKey: "sk_test_wrongWrongWrong0000000000" }),
        xmlShapes: server.xmlShapes as XmlShapes,
        validator: validatorOf(validators),
      };
    }
    case "payneteasy": {
      const [server, client, validators] = await Promise.all([
        import("@payspec/payneteasy-server"),
        import("@payspec/payneteasy-client"),
        import("@payspec/payneteasy-validators"),
      ]);
      const credentials = server.PAYNETEASY_SIMULATOR_CREDENTIALS;
      // The gateway serves sale, preauth, status and close-day; the callback is the merchant's endpoint.
      const operations = served(server.operations, ["merchantCallbackNotify"]);
      return {
        protocol,
        operations,
        examples: server.examples,
        auth: client.payneteasyAuth({ login: credentials.login, merchantControlKey: credentials.merchantControlKey }),
        wrongAuth: client.payneteasyAuth({
          login: credentials.login,
          merchantControlKey: "00000000-0000-0000-0000-000000000000",
        }),
        xmlShapes: server.xmlShapes as XmlShapes,
        validator: validatorOf(validators),
      };
    }
    case "hipay-ecr": {
      const [server, client, validators] = await Promise.all([
        import("@payspec/hipay-ecr-server"),
        import("@payspec/hipay-ecr-client"),
        import("@payspec/hipay-ecr-validators"),
      ]);
      return {
        protocol,
        operations: served(server.operations),
        examples: server.examples,
        auth: client.hipayAuth(HIPAY_SIMULATOR_CREDENTIALS),
        wrongAuth: client.hipayAuth({ login: HIPAY_SIMULATOR_CREDENTIALS.login, password: "wrong-password" }),
        xmlShapes: server.xmlShapes as XmlShapes,
        validator: validatorOf(validators),
      };
    }
    case "nexo": {
      const [server, validators] = await Promise.all([
        import("@payspec/nexo-server"),
        import("@payspec/nexo-validators"),
      ]);
      const none: Authenticator = () => {};
      return {
        protocol,
        // The terminal serves Terminal.send; PosListener.receive is the POS's own endpoint.
        operations: served(server.operations).filter((op) => op.id === "terminalSend"),
        examples: server.examples,
        auth: none,
        wrongAuth: none,
        xmlShapes: server.xmlShapes as XmlShapes,
        validator: validatorOf(validators),
      };
    }
  }
}
