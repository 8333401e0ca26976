// Zod schemas of stripe-terminal's Reader and what it references, mirroring
// specs/openapi/stripe-terminal/stripe-terminal.schema.json keyword by keyword (objects keep unknown members,
// as the JSON Schema allows them). Written by scripts/zod-from-schema.mjs; kept as plain source,
// the zod a user would write by hand. Rerun the script when the spec changes.
import { z } from "zod";

export const ReaderActionType = z.union([
  z.literal("process_payment_intent"),
  z.literal("process_setup_intent"),
  z.literal("refund_payment"),
  z.literal("set_reader_display"),
  z.literal("collect_inputs"),
  z.literal("collect_payment_method"),
  z.literal("confirm_payment_intent"),
  z.literal("print_content"),
  z.string(),
]);

export const ReaderActionStatus = z.union([z.literal("in_progress"), z.literal("succeeded"), z.literal("failed")]);

export const StripeAmount = z.number().int().min(0);

export const StripeCurrency = z.string().regex(/^[a-z]{3}$/);

export const PaymentIntent = z.looseObject({
  id: z.string(),
  object: z.literal("payment_intent"),
  amount: StripeAmount.optional(),
  currency: StripeCurrency.optional(),
  status: z.string().optional(),
  payment_method_types: z.array(z.string()).optional(),
});

export const TippingConfig = z.looseObject({
  amount_eligible: StripeAmount.optional(),
});

export const ProcessConfig = z.looseObject({
  skip_tipping: z.boolean().optional(),
  tipping: TippingConfig.optional(),
});

export const ProcessPaymentIntentAction = z.looseObject({
  payment_intent: z.union([z.string(), PaymentIntent]),
  process_config: ProcessConfig.optional(),
});

export const ProcessSetupConfig = z.looseObject({
  enable_customer_cancellation: z.boolean().optional(),
});

export const SetupIntent = z.looseObject({
  id: z.string(),
  object: z.literal("setup_intent"),
  status: z.string().optional(),
});

export const ProcessSetupIntentAction = z.looseObject({
  generated_card: z.string().max(5000).optional(),
  process_config: ProcessSetupConfig.optional(),
  setup_intent: z.union([z.string(), SetupIntent]),
});

export const Charge = z.looseObject({
  id: z.string(),
  object: z.literal("charge"),
  amount: StripeAmount.optional(),
  amount_refunded: StripeAmount.optional(),
});

export const Metadata = z.record(z.string(), z.string());

export const RefundReason = z.union([
  z.literal("duplicate"),
  z.literal("fraudulent"),
  z.literal("requested_by_customer"),
]);

export const Refund = z.looseObject({
  id: z.string(),
  object: z.literal("refund"),
  amount: StripeAmount.optional(),
  status: z.union([z.string(), z.null()]).optional(),
});

export const RefundPaymentAction = z.looseObject({
  amount: StripeAmount.optional(),
  charge: z.union([z.string(), Charge]).optional(),
  metadata: Metadata.optional(),
  payment_intent: z.union([z.string(), PaymentIntent]).optional(),
  reason: RefundReason.optional(),
  refund: z.union([z.string(), Refund]).optional(),
  refund_application_fee: z.boolean().optional(),
  reverse_transfer: z.boolean().optional(),
});

export const CartLineItem = z.looseObject({
  amount: StripeAmount,
  description: z.string().max(5000),
  quantity: z.number().int().min(1),
});

export const Cart = z.looseObject({
  currency: StripeCurrency,
  line_items: z.array(CartLineItem),
  tax: z.union([StripeAmount, z.null()]).optional(),
  total: StripeAmount,
});

export const SetReaderDisplayAction = z.looseObject({
  cart: z.union([Cart, z.null()]).optional(),
  type: z.literal("cart"),
});

export const OpaqueObject = z.record(z.string(), z.unknown());

export const CollectInputsInput = z.looseObject({
  type: z.string(),
  required: z.union([z.boolean(), z.null()]).optional(),
  skipped: z.boolean().optional(),
  custom_text: z.union([OpaqueObject, z.null()]).optional(),
});

export const CollectInputsAction = z.looseObject({
  inputs: z.array(CollectInputsInput),
  metadata: z.union([Metadata, z.null()]).optional(),
});

export const PaymentMethod = z.looseObject({
  id: z.string(),
  object: z.literal("payment_method"),
  type: z.string().optional(),
});

export const CollectPaymentMethodAction = z.looseObject({
  payment_intent: z.union([z.string(), PaymentIntent]),
  payment_method: PaymentMethod.optional(),
  collect_config: OpaqueObject.optional(),
});

export const ConfirmPaymentIntentAction = z.looseObject({
  payment_intent: z.union([z.string(), PaymentIntent]),
  confirm_config: OpaqueObject.optional(),
});

export const PrintContentAction = z.looseObject({
  type: z.union([z.literal("image"), z.string()]),
  image: OpaqueObject.optional(),
});

export const ErrorType = z.union([
  z.literal("api_error"),
  z.literal("card_error"),
  z.literal("idempotency_error"),
  z.literal("invalid_request_error"),
  z.string(),
]);

export const ErrorCode = z.union([
  z.literal("terminal_reader_busy"),
  z.literal("terminal_reader_offline"),
  z.literal("terminal_reader_timeout"),
  z.literal("terminal_reader_hardware_fault"),
  z.literal("terminal_location_country_unsupported"),
  z.literal("intent_invalid_state"),
  z.literal("resource_missing"),
  z.literal("parameter_missing"),
  z.literal("parameter_unknown"),
  z.literal("parameter_invalid_integer"),
  z.literal("invalid_registration_code"),
  z.literal("rate_limit"),
  z.literal("lock_timeout"),
  z.literal("idempotency_key_in_use"),
  z.string(),
]);

export const ApiError = z.looseObject({
  type: ErrorType,
  code: ErrorCode.optional(),
  decline_code: z.string().max(5000).optional(),
  message: z.string().max(40000).optional(),
  param: z.string().max(5000).optional(),
  doc_url: z.string().max(5000).optional(),
  request_log_url: z.string().max(5000).optional(),
  charge: z.string().max(5000).optional(),
  payment_intent: PaymentIntent.optional(),
  payment_method: PaymentMethod.optional(),
  payment_method_type: z.string().max(5000).optional(),
  setup_intent: SetupIntent.optional(),
  source: OpaqueObject.optional(),
});

export const ReaderAction = z.looseObject({
  type: ReaderActionType,
  status: ReaderActionStatus,
  failure_code: z.union([z.string().max(5000), z.null()]).optional(),
  failure_message: z.union([z.string().max(5000), z.null()]).optional(),
  process_payment_intent: ProcessPaymentIntentAction.optional(),
  process_setup_intent: ProcessSetupIntentAction.optional(),
  refund_payment: RefundPaymentAction.optional(),
  set_reader_display: SetReaderDisplayAction.optional(),
  collect_inputs: CollectInputsAction.optional(),
  collect_payment_method: CollectPaymentMethodAction.optional(),
  confirm_payment_intent: ConfirmPaymentIntentAction.optional(),
  print_content: PrintContentAction.optional(),
  api_error: z.union([ApiError, z.null()]).optional(),
});

export const DeviceType = z.union([
  z.literal("bbpos_chipper2x"),
  z.literal("bbpos_wisepad3"),
  z.literal("bbpos_wisepos_e"),
  z.literal("simulated_wisepos_e"),
  z.literal("stripe_m2"),
  z.literal("verifone_P400"),
  z.literal("stripe_s700"),
  z.literal("stripe_s710"),
  z.literal("verifone_m425"),
  z.literal("verifone_p630"),
  z.literal("verifone_ux700"),
  z.literal("verifone_v660p"),
  z.literal("mobile_phone_reader"),
  z.literal("simulated_stripe_s700"),
  z.literal("simulated_stripe_s710"),
  z.literal("simulated_verifone_m425"),
  z.literal("simulated_verifone_p630"),
  z.literal("simulated_verifone_ux700"),
  z.literal("simulated_verifone_v660p"),
  z.string(),
]);

export const UnixMillis = z.number().int();

export const Address = z.looseObject({
  city: z.union([z.string().max(5000), z.null()]).optional(),
  country: z.union([z.string().max(5000), z.null()]).optional(),
  line1: z.union([z.string().max(5000), z.null()]).optional(),
  line2: z.union([z.string().max(5000), z.null()]).optional(),
  postal_code: z.union([z.string().max(5000), z.null()]).optional(),
  state: z.union([z.string().max(5000), z.null()]).optional(),
});

export const Location = z.looseObject({
  id: z.string().max(5000),
  object: z.literal("terminal.location"),
  address: Address,
  configuration_overrides: z.string().max(5000).optional(),
  display_name: z.string().max(5000),
  livemode: z.boolean(),
  metadata: Metadata,
});

export const ReaderStatus = z.union([z.literal("online"), z.literal("offline")]);

export const Reader = z.looseObject({
  id: z.string().max(5000),
  object: z.literal("terminal.reader"),
  action: z.union([ReaderAction, z.null()]).optional(),
  device_sw_version: z.union([z.string().max(5000), z.null()]).optional(),
  device_type: DeviceType,
  ip_address: z.union([z.string().max(5000), z.null()]).optional(),
  label: z.string().max(5000),
  last_seen_at: z.union([UnixMillis, z.null()]).optional(),
  livemode: z.boolean(),
  location: z.union([z.string(), Location, z.null()]).optional(),
  metadata: Metadata,
  serial_number: z.string().max(5000),
  status: z.union([ReaderStatus, z.null()]).optional(),
});
