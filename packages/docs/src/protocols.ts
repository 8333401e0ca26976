/**
 * What the overview page of each protocol says: the flows of its seed (as mermaid sequence
 * diagrams), how it authenticates, the vendor's sandbox against the Payspec simulator, and the
 * packages generated from its spec. Facts come from the seeds and shared/PROTOCOLS.md.
 */

export const PROTOCOL_NAMES = ["wepay", "stripe-terminal", "payneteasy", "hipay-ecr", "nexo"] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

export interface Flow {
  readonly title: string;
  /** One or two sentences under the title. */
  readonly description: string;
  /** Mermaid `sequenceDiagram` source. */
  readonly diagram: string;
}

export interface ProtocolDoc {
  readonly name: ProtocolName;
  readonly title: string;
  readonly summary: string;
  /** Wire encoding of requests and responses, one line. */
  readonly encoding: string;
  /** Paragraphs on authentication. */
  readonly auth: readonly string[];
  /** Paragraphs on the vendor's sandbox. */
  readonly sandbox: readonly string[];
  /** Paragraphs on the Payspec simulator. */
  readonly simulator: readonly string[];
  readonly flows: readonly Flow[];
}

/** The packages every protocol has, in the order they are listed. */
export const PACKAGE_ROLES = [
  { role: "types", description: "one TypeScript interface per message" },
  { role: "validators", description: "validateX(value) type guards with errors and warnings" },
  { role: "client", description: "typed HTTP client, one method per operation" },
  { role: "server", description: "fastify plugin, vendor-shaped errors and the reference simulator" },
  { role: "driver", description: "terminal driver: the flows below as one API" },
] as const;

export const PROTOCOL_DOCS: Readonly<Record<ProtocolName, ProtocolDoc>> = {
  wepay: {
    name: "wepay",
    title: "WePay API v3 and Card Present SDK",
    summary:
      "WePay's REST API v3 creates the session tokens a mobile Card Present SDK needs, registers terminals and takes payments with the encoded payment method the card reader produced.",
    encoding: "JSON over HTTPS; times are Unix seconds, amounts integer minor units.",
    auth: [
      "Every request carries App-Id, App-Token and Api-Version: 3.0 headers. Creating a payment sends a Unique-Key header, the idempotency key: a retried POST with the same key is answered once.",
      "The SDK on the merchant's device authenticates with a session token (stage_…): it lives 5 minutes unused and 12 hours once the SDK has used it.",
    ],
    sandbox: [
      "WePay's stage environment takes the same requests with stage credentials; session tokens start with stage_.",
    ],
    simulator: [
      "startWePaySimulator() from @payspec/wepay-server (or `payspec simulate wepay`) serves /session_tokens, /terminals and /payments on loopback with test App-Id/App-Token, enforces the token lifetimes with an injectable clock and declines amounts with a documented ending.",
    ],
    flows: [
      {
        title: "Pair a card reader and take a payment",
        description:
          "The app asks its backend for a session token, the SDK pairs the Moby 5500 (LED sequence confirmed by the merchant) and reads the card; the backend then creates the payment with the single-use encoded payment method.",
        diagram: `sequenceDiagram
  participant App as Merchant app + SDK
  participant Backend as Merchant backend
  participant WePay as WePay API v3
  participant Reader as Card reader
  App->>Backend: need a session
  Backend->>WePay: POST /session_tokens {type: mobile_session, account_id}
  WePay-->>Backend: 200 {id, session_token: stage_…, expire_time}
  Backend-->>App: session_token
  App->>Reader: pair (Bluetooth), merchant confirms LED sequence
  Reader-->>App: reader connected
  App->>Reader: read card (dip, tap or swipe)
  Reader-->>App: encoded_payment_method
  App->>Backend: encoded_payment_method
  Backend->>WePay: POST /payments (Unique-Key) {amount, currency, payment_method}
  WePay-->>Backend: 200 payment`,
      },
      {
        title: "Register a terminal",
        description: "A countertop terminal is registered by serial number and model with its configuration.",
        diagram: `sequenceDiagram
  participant Backend as Merchant backend
  participant WePay as WePay API v3
  Backend->>WePay: POST /terminals {account_id, serial_number, model, terminal_configuration}
  WePay-->>Backend: 200 {id, status: active, …}
  Backend->>WePay: GET /session_tokens/{id}
  WePay-->>Backend: 200 session token
  Backend->>WePay: DELETE /session_tokens/{id}
  WePay-->>Backend: 200 {state: deleted}`,
      },
    ],
  },
  "stripe-terminal": {
    name: "stripe-terminal",
    title: "Stripe Terminal smart readers",
    summary:
      "The /v1/terminal API of Stripe (version 2023-08-16): locations, readers, connection tokens, configurations and the server-driven reader actions.",
    encoding: "application/x-www-form-urlencoded requests with bracket nesting (metadata[key]=v), JSON responses.",
    auth: [
      "Authorization: Bearer sk_test_… (or HTTP Basic with the secret key as user name). The secret key stays on the server: the SDK gets a connection token, which is single use, so fetch a fresh one for every connect.",
    ],
    sandbox: [
      "Stripe's test mode takes sk_test_ keys and simulated readers (device_type simulated_*); the test helper present_payment_method stands in for a card on the reader.",
    ],
    simulator: [
      "startStripeTerminalSimulator() from @payspec/stripe-terminal-server (or `payspec simulate stripe-terminal`) serves the terminal API on loopback with SIMULATOR_SECRET_KEY, accepts the SIMULATED_REGISTRATION_CODES and declines amounts with the endings in DECLINE_AMOUNT_ENDINGS.",
    ],
    flows: [
      {
        title: "Register and connect a smart reader",
        description:
          "A reader is registered to a location with its registration code; the SDK discovers readers of the location over the internet and connects, with failIfInUse deciding what happens when another POS holds it.",
        diagram: `sequenceDiagram
  participant POS as POS app + SDK
  participant Backend as Merchant backend
  participant Stripe as Stripe API
  participant Reader as Smart reader
  Backend->>Stripe: POST /v1/terminal/locations
  Stripe-->>Backend: location tml_…
  Backend->>Stripe: POST /v1/terminal/readers {registration_code, location}
  Stripe-->>Backend: reader tmr_…
  POS->>Backend: connection token please
  Backend->>Stripe: POST /v1/terminal/connection_tokens
  Stripe-->>Backend: {secret} (single use)
  Backend-->>POS: secret
  POS->>Stripe: discoverReaders(location)
  POS->>Reader: connectReader(failIfInUse)
  Reader-->>POS: connected`,
      },
      {
        title: "Server-driven payment",
        description:
          "The backend hands a PaymentIntent to the reader; the reader's action status tells the outcome. If the SDK reports a failure, re-read the PaymentIntent: the payment may have succeeded.",
        diagram: `sequenceDiagram
  participant Backend as Merchant backend
  participant Stripe as Stripe API
  participant Reader as Smart reader
  Backend->>Stripe: POST /v1/terminal/readers/{id}/process_payment_intent
  Stripe->>Reader: collect payment method
  Note over Backend,Reader: test mode: POST /v1/test_helpers/terminal/readers/{id}/present_payment_method
  Reader-->>Stripe: card presented
  Backend->>Stripe: GET /v1/terminal/readers/{id}
  Stripe-->>Backend: action.status succeeded | failed
  Backend->>Stripe: POST /v1/terminal/readers/{id}/cancel_action (to give up)`,
      },
    ],
  },
  payneteasy: {
    name: "payneteasy",
    title: "Payneteasy mPOS API (MAPI)",
    summary:
      "Sale and preauth with card data encrypted by the mPOS reader, status polling until a final status, day close, and the final-status callback to the connecting party.",
    encoding:
      "application/x-www-form-urlencoded requests; responses are text/html bodies of key=value pairs joined by & (each ending in a newline).",
    auth: [
      "Sale and preauth are signed OAuth 1.0 style with HMAC-SHA1: oauth_consumer_key is the merchant login; the signature base string covers the sorted, RFC 3986 encoded body and oauth parameters.",
      "Status requests carry control = SHA1(login + client_orderid + orderid + merchant_control_key), lowercase hex; callbacks carry control = SHA1(status + orderid + client_orderid + merchant_control_key). Compare them in constant time.",
    ],
    sandbox: ["Payneteasy gives each integrator a sandbox endpoint id, login and control key."],
    simulator: [
      "startPayneteasySimulator() from @payspec/payneteasy-server (or `payspec simulate payneteasy`) verifies the OAuth signature and the control values, keeps orders in processing for a few polls, then answers approved, declined or error by the amount's ending (PAYNETEASY_TEST_AMOUNTS).",
    ],
    flows: [
      {
        title: "Sale with status polling",
        description: "The sale answers at once with an async response; poll the status every 3–5 s until it is final.",
        diagram: `sequenceDiagram
  participant POS as Merchant POS + mPOS reader
  participant PNE as Payneteasy
  POS->>PNE: POST /paynet/mapi/v1/sale/{endpointid} (OAuth HMAC-SHA1) encrypted card data
  PNE-->>POS: type=async-response&paynet-order-id=…
  loop every 3-5 s until final
    POS->>PNE: POST /paynet/api/v2/status/{endpointid} (control)
    PNE-->>POS: type=status-response&status=processing
  end
  PNE-->>POS: status=approved | declined | error | filtered`,
      },
      {
        title: "Callback and day close",
        description:
          "The final status is also sent to the connecting party's URL, retried until it answers 200 (so deduplicate); at the end of the day the totals are closed.",
        diagram: `sequenceDiagram
  participant PNE as Payneteasy
  participant Merchant as Connecting party
  PNE->>Merchant: GET /callback?orderid&client_orderid&status&control
  Merchant-->>PNE: 200 (else retried, 30 times over 14 days)
  Merchant->>PNE: POST /paynet/api/v2/close-day/{endpointid} {day_close_request_id, totals}
  PNE-->>Merchant: close-day response`,
      },
    ],
  },
  "hipay-ecr": {
    name: "hipay-ecr",
    title: "HiPay Unattended ECR Connector",
    summary:
      "A local HTTP connector (config.txt) that drives an unattended payment terminal over a serial line with the French Concert protocol and reports to HiPay.",
    encoding: "JSON over HTTP on localhost; the terminal side is Concert frames (STX … ETX LRC) on a serial port.",
    auth: [
      "HTTP Basic with TERMINAL_MANAGER_LOGIN / TERMINAL_MANAGER_PWD from the connector's config.txt. The connector listens on http://localhost:{LOCAL_PORT} only.",
    ],
    sandbox: [
      "HiPay's stage environment receives the connector's reports; payments themselves run on a test terminal attached to the connector.",
    ],
    simulator: [
      "`payspec simulate hipay-ecr` runs the connector API (createConcertConnector) against ConcertTerminalSimulator over an in-memory serial pair: Concert framing, LRC and NAK resends included; amounts with a test ending are refused or never answered (TEST_AMOUNTS).",
    ],
    flows: [
      {
        title: "Payment through the connector",
        description:
          "The kiosk posts a payment; the connector speaks Concert to the terminal (ENQ/ACK, framed message, LRC) and answers with the terminal's verdict.",
        diagram: `sequenceDiagram
  participant ECR as Kiosk (ECR)
  participant Conn as ECR connector (localhost)
  participant Term as Terminal (serial)
  ECR->>Conn: POST / payment request (Basic auth)
  Conn->>Term: ENQ
  Term-->>Conn: ACK
  Conn->>Term: STX E+ request ETX LRC
  Term-->>Conn: ACK
  Conn->>Term: EOT
  Note over Term: customer pays
  Term->>Conn: ENQ, STX answer ETX LRC, EOT
  Conn-->>ECR: 200 {status, error, receipt}
  Conn->>Conn: report the transaction to HiPay`,
      },
      {
        title: "Maintenance",
        description:
          "Maintenance endpoints act on the connector or the terminal: cancel, stop, reset, version, config, telecollection, check.",
        diagram: `sequenceDiagram
  participant ECR as Kiosk (ECR)
  participant Conn as ECR connector
  participant Term as Terminal
  ECR->>Conn: GET /check
  Conn->>Term: status request
  Term-->>Conn: ready
  Conn-->>ECR: 200 terminal status
  ECR->>Conn: GET /cancel
  Conn-->>ECR: 200 current transaction cancelled
  ECR->>Conn: GET /tlc
  Conn-->>ECR: 200 telecollection result`,
      },
    ],
  },
  nexo: {
    name: "nexo",
    title: "nexo Retailer Sale to POI 3.1 (Terminal API)",
    summary:
      "Swedbank Pay's PAX integration of nexo Retailer 3.1: the POS logs in and sends Payment, Abort, TransactionStatus and Reversal requests to the terminal; in the full integration the terminal calls the POS back for display, print, input and events.",
    encoding:
      "POST /EPASSaleToPOI/3.1 with application/xml (nexo element order, header fields as attributes) or the same messages as JSON.",
    auth: [
      "No HTTP credentials: the terminal is reached on the shop's network (port 11000 in the examples). A session starts with a LoginRequest; every message header carries SaleID and POIID, and ServiceID is unique per login session.",
    ],
    sandbox: ["Swedbank Pay provides test terminals and test cards for certification; there is no hosted sandbox."],
    simulator: [
      "startNexoTerminalSimulator() from @payspec/nexo-server (or `payspec simulate nexo`) is a terminal on loopback: it requires a Login, answers Payment, Abort, TransactionStatus and Reversal, and declines amounts with the endings in DECLINE_AMOUNTS.",
    ],
    flows: [
      {
        title: "Login, payment and display (full integration)",
        description:
          "The POS logs in, then sends a payment; while the customer pays, the terminal calls the POS listener with display and event messages, answered with 204.",
        diagram: `sequenceDiagram
  participant POS as POS (Sale System)
  participant POI as Terminal (POI)
  POS->>POI: LoginRequest (SaleSoftware, SaleCapabilities)
  POI-->>POS: LoginResponse Result=Success, POIStatus
  POS->>POI: PaymentRequest (SaleTransactionID, AmountsReq)
  POI->>POS: EventNotification CardInserted
  POS-->>POI: 204
  POI->>POS: DisplayRequest (CashierDisplay)
  POS-->>POI: 204
  POI-->>POS: PaymentResponse Result=Success, PaymentReceipt[]`,
      },
      {
        title: "Abort and recovery",
        description:
          "An AbortRequest gets 204 and the aborted payment answers Failure. If the connection dropped, TransactionStatus returns the last payment's response.",
        diagram: `sequenceDiagram
  participant POS as POS (Sale System)
  participant POI as Terminal (POI)
  POS->>POI: PaymentRequest ServiceID=7
  POS->>POI: AbortRequest MessageReference ServiceID=7
  POI-->>POS: 204
  POI-->>POS: PaymentResponse Result=Failure ErrorCondition=Aborted
  Note over POS,POI: connection lost during a payment
  POS->>POI: TransactionStatusRequest
  POI-->>POS: TransactionStatusResponse RepeatedMessageResponse(PaymentResponse)
  POS->>POI: ReversalRequest (OriginalPOITransaction)
  POI-->>POS: ReversalResponse`,
      },
    ],
  },
};
