/**
 * The POS listener of the default (full) integration: the terminal POSTs DisplayRequest,
 * PrintRequest, InputRequest and EventNotification to the POS. This small fastify server (the
 * generated `registerNexoPosListener`) answers them the nexo way and hands them on as typed events:
 * DisplayRequest and EventNotification → 204; PrintRequest → PrintResponse Success (204 when its
 * ResponseMode is NotRequired); InputRequest GetConfirmation (the signature check) → InputResponse
 * with the cashier's answer (Swedbank Pay: always approve, the default).
 */
import { nexoResponse } from "@payspec/nexo-client";
import { registerNexoPosListener, rejectNexo } from "@payspec/nexo-server";
import type {
  DeviceType,
  DocumentQualifierType,
  EventToNotifyType,
  InputCommandType,
  NexoRequestMessage,
  OutputContent,
} from "@payspec/nexo-types";
import { listenUrl } from "@payspec/runtime/server";
import fastify from "fastify";

/** What the terminal asked of the POS listener, as typed events. */
export type NexoListenerEvent =
  /** A DisplayRequest: the lines the terminal shows (the POS shows them to the cashier). */
  | { readonly type: "display"; readonly serviceId: string; readonly device: DeviceType; readonly lines: string[] }
  /** A PrintRequest: a receipt to print; `signature` when the customer must sign it (CVM Signature). */
  | {
      readonly type: "print";
      readonly serviceId: string;
      readonly document: DocumentQualifierType;
      readonly signature: boolean;
      readonly lines: string[];
    }
  /** An InputRequest and the POS's answer (`confirmed` for a GetConfirmation). */
  | {
      readonly type: "input";
      readonly serviceId: string;
      readonly command: InputCommandType;
      readonly prompt: string;
      readonly confirmed?: boolean;
    }
  /** An EventNotification: CardInserted, CardRemoved, SaleAdmin (maintenance required), ... */
  | {
      readonly type: "event";
      readonly event: EventToNotifyType;
      readonly details?: string;
      readonly maintenanceRequired?: boolean;
    };

/** The cashier's answer to a signature check (InputRequest GetConfirmation). */
export type ConfirmSignature = (request: {
  readonly serviceId: string;
  readonly prompt: string;
}) => boolean | Promise<boolean>;

export interface PosListenerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 0: any free port). The terminal must be configured with this address. */
  readonly port?: number;
  /** Answers signature checks; default: always approve (Swedbank Pay's rule for CVM Signature). */
  readonly confirmSignature?: ConfirmSignature;
  readonly emit: (event: NexoListenerEvent) => void;
}

export interface RunningPosListener {
  /** Base URL, e.g. `http://127.0.0.1:41234` (the terminal POSTs to `/EPASSaleToPOI/3.1`). */
  readonly url: string;
  close(): Promise<void>;
}

const textLines = (content: OutputContent | undefined): string[] => content?.OutputText?.map((t) => t.Text) ?? [];

/** Starts the POS listener. */
export async function startPosListener(options: PosListenerOptions): Promise<RunningPosListener> {
  const confirm: ConfirmSignature = options.confirmSignature ?? (() => true);
  const emit = (event: NexoListenerEvent) => {
    try {
      options.emit(event);
    } catch {
      // A listener's bug must not change what the terminal is answered.
    }
  };
  const app = fastify();
  await registerNexoPosListener(
    app,
    {
      posListenerReceive: async ({ body }: { body: NexoRequestMessage }) => {
        const request = body.SaleToPOIRequest;
        const serviceId = request.MessageHeader.ServiceID;
        if (request.DisplayRequest) {
          for (const output of request.DisplayRequest.DisplayOutput) {
            emit({ type: "display", serviceId, device: output.Device, lines: textLines(output.OutputContent) });
          }
          return { status: 204 };
        }
        if (request.EventNotification) {
          const n = request.EventNotification;
          emit({
            type: "event",
            event: n.EventToNotify,
            ...(n.EventDetails === undefined ? {} : { details: n.EventDetails }),
            ...(n.MaintenanceRequiredFlag === undefined ? {} : { maintenanceRequired: n.MaintenanceRequiredFlag }),
          });
          return { status: 204 };
        }
        if (request.PrintRequest) {
          const out = request.PrintRequest.PrintOutput;
          emit({
            type: "print",
            serviceId,
            document: out.DocumentQualifier,
            signature: out.RequiredSignatureFlag === true,
            lines: textLines(out.OutputContent),
          });
          if (out.ResponseMode === "NotRequired") return { status: 204 };
          return {
            status: 200,
            body: nexoResponse(body, "PrintResponse", {
              DocumentQualifier: out.DocumentQualifier,
              Response: { Result: "Success" },
            }),
          };
        }
        if (request.InputRequest) {
          const { InputData, DisplayOutput } = request.InputRequest;
          const prompt = textLines(DisplayOutput?.OutputContent).join("\n");
          if (InputData.InputCommand !== "GetConfirmation") {
            emit({ type: "input", serviceId, command: InputData.InputCommand, prompt });
            return {
              status: 200,
              body: nexoResponse(body, "InputResponse", {
                InputResult: {
                  Device: InputData.Device,
                  InfoQualify: InputData.InfoQualify,
                  Response: {
                    Result: "Failure",
                    ErrorCondition: "NotAllowed",
                    AdditionalResponse: "This POS answers signature confirmations only",
                  },
                },
              }),
            };
          }
          let confirmed = false;
          try {
            confirmed = (await confirm({ serviceId, prompt })) === true;
          } catch {
            confirmed = false;
          }
          emit({ type: "input", serviceId, command: "GetConfirmation", prompt, confirmed });
          return {
            status: 200,
            body: nexoResponse(body, "InputResponse", {
              InputResult: {
                Device: InputData.Device,
                InfoQualify: InputData.InfoQualify,
                Response: { Result: "Success" },
                Input: { InputCommand: "GetConfirmation", ConfirmedFlag: confirmed },
              },
            }),
          };
        }
        // Service requests are the terminal's to receive, not the POS's.
        return {
          status: 400,
          body: {
            Response: {
              Result: "Failure",
              ErrorCondition: "NotAllowed",
              AdditionalResponse: "The POS listener receives Display, Print, Input and Event messages only",
            },
          },
        };
      },
    },
    { reject: rejectNexo },
  );
  const url = await listenUrl(app, { host: options.host ?? "127.0.0.1", port: options.port ?? 0 });
  return { url, close: () => app.close() };
}
