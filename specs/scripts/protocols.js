// @ts-check
/** The five protocols, in the order of the brief. `dir` is the folder under specs/ and specs/openapi/. */
export const protocols = /** @type {const} */ ([
  { id: "wepay", title: "WePay v3 + Card Present SDK" },
  { id: "stripe-terminal", title: "Stripe Terminal smart readers" },
  { id: "payneteasy", title: "Payneteasy mPOS API" },
  { id: "hipay-ecr", title: "HiPay unattended ECR connector + Concert serial" },
  { id: "nexo", title: "nexo Retailer terminal API (Sale to POI 3.1)" },
]);

/** @typedef {(typeof protocols)[number]["id"]} ProtocolId */
