export declare const protocols: readonly [
  { readonly id: "wepay"; readonly title: string },
  { readonly id: "stripe-terminal"; readonly title: string },
  { readonly id: "payneteasy"; readonly title: string },
  { readonly id: "hipay-ecr"; readonly title: string },
  { readonly id: "nexo"; readonly title: string },
];
export type ProtocolId = (typeof protocols)[number]["id"];
