export { OutcomeUnknownError, TerminalError, type TerminalErrorCode } from "./errors.js";
export { FileJournal, type Journal, MemoryJournal } from "./journal.js";
export { compareLedger, type LedgerMismatch, type LedgerReport, type VendorCharge } from "./ledger.js";
export { type CreateTerminalOptions, createTerminal, type RecoveryPolicy } from "./terminal.js";
export type {
  AdapterContext,
  AdapterRequest,
  CallOptions,
  JournalEntry,
  OperationKind,
  Outcome,
  OutcomeStatus,
  PayRequest,
  ProtocolName,
  Recovery,
  RefundRequest,
  Terminal,
  TerminalAdapter,
  TerminalEvent,
  TerminalListener,
  VendorIds,
} from "./types.js";
