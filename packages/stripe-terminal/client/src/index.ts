// Public API of @payspec/stripe-terminal-client: the generated client, its error class and
// operation table, plus the handwritten API key authenticator.

export { STRIPE_API_VERSION, type StripeAuthOptions, stripeAuth } from "./auth.js";
export type {
  ConfigurationsCreateInput,
  ConfigurationsDeleteInput,
  ConfigurationsListInput,
  ConfigurationsRetrieveInput,
  ConfigurationsUpdateInput,
  ConnectionTokensCreateInput,
  LocationsCreateInput,
  LocationsDeleteInput,
  LocationsListInput,
  LocationsRetrieveInput,
  LocationsUpdateInput,
  PaymentIntentsCancelInput,
  PaymentIntentsCaptureInput,
  PaymentIntentsCreateInput,
  PaymentIntentsRetrieveInput,
  ReadersCancelActionInput,
  ReadersCreateInput,
  ReadersDeleteInput,
  ReadersListInput,
  ReadersProcessPaymentIntentInput,
  ReadersProcessSetupIntentInput,
  ReadersRefundPaymentInput,
  ReadersRetrieveInput,
  ReadersSetReaderDisplayInput,
  ReadersUpdateInput,
  TestHelpersPresentPaymentMethodInput,
} from "./gen/index.gen.js";
export { operations, StripeTerminalApiError, StripeTerminalClient, xmlShapes } from "./gen/index.gen.js";
