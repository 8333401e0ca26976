/**
 * A transport that answers from a script, for tests of code that takes a `Transport`: the n-th
 * request gets the n-th answer (the last one repeats), and every request is kept in `sent`.
 */
import type { Transport, TransportRequest, TransportResponse } from "./types.js";

export function scriptedTransport(answers: readonly TransportResponse[]): {
  sent: TransportRequest[];
  transport: Transport;
} {
  if (answers.length === 0) throw new TypeError("scriptedTransport needs at least one answer");
  const sent: TransportRequest[] = [];
  const transport: Transport = async (request) => {
    sent.push(request);
    return answers[Math.min(sent.length, answers.length) - 1] as TransportResponse;
  };
  return { sent, transport };
}
