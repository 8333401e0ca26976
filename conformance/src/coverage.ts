/**
 * Coverage rule (also in the README):
 * - an OpenAPI operation is covered when a scenario that passed sent a request to it (its method and
 *   path) and checked the answer's status and schema, or, for a call the target makes to us (a
 *   Payneteasy callback, a nexo display request), when a scenario received and checked it;
 * - a message is covered when a passed scenario validated a value against it with the generated
 *   validator (a body sent or received, a callback's parameters, or a message scenario's example AND
 *   its refused invalid variant), or against a message that references it (transitively).
 * Otherwise an item is failed (only failed scenarios reach it), skipped (only skipped ones), or not
 * covered (no scenario reaches it).
 */
import type { ScenarioResult } from "./engine.js";
import type { SpecIndex } from "./spec.js";

export type CoverageState = "passed" | "failed" | "skipped" | "not covered";

export interface CoverageItem {
  name: string;
  state: CoverageState;
  /** scenarios that reached it */
  scenarios: string[];
  detail?: string;
}

export interface Coverage {
  protocol: string;
  operations: CoverageItem[];
  messages: CoverageItem[];
  /** share of operations / messages passed, 0..1 */
  operationRatio: number;
  messageRatio: number;
}

const RANK: Record<CoverageState, number> = { passed: 3, failed: 2, skipped: 1, "not covered": 0 };

export function coverage(spec: SpecIndex, results: readonly ScenarioResult[]): Coverage {
  const opState = new Map<string, { state: CoverageState; scenarios: string[] }>();
  const msgState = new Map<string, { state: CoverageState; scenarios: string[] }>();
  const bump = (map: typeof opState, key: string, state: CoverageState, id: string) => {
    const cur = map.get(key) ?? { state: "not covered" as CoverageState, scenarios: [] };
    if (RANK[state] > RANK[cur.state]) cur.state = state;
    if (!cur.scenarios.includes(id)) cur.scenarios.push(id);
    map.set(key, cur);
  };
  for (const r of results) {
    for (const op of r.operations) bump(opState, op, r.outcome, r.id);
    for (const m of r.messages) {
      bump(msgState, m, r.outcome, r.id);
      for (const ref of spec.references.get(m) ?? []) bump(msgState, ref, r.outcome, r.id);
    }
  }
  const operations = spec.operations.map((o): CoverageItem => {
    let best: { state: CoverageState; scenarios: string[] } = { state: "not covered", scenarios: [] };
    for (const d of o.descriptors) {
      const s = opState.get(d);
      if (s && RANK[s.state] > RANK[best.state])
        best = { state: s.state, scenarios: [...best.scenarios, ...s.scenarios] };
      else if (s) best.scenarios.push(...s.scenarios);
    }
    const item: CoverageItem = {
      name: `${o.operationId} (${o.method} ${o.path})`,
      state: best.state,
      scenarios: [...new Set(best.scenarios)],
    };
    if (o.descriptors.length === 0) item.detail = "no generated operation serves it (rebuild the server package?)";
    return item;
  });
  const messages = spec.messages.map((m): CoverageItem => {
    const s = msgState.get(m);
    return { name: m, state: s?.state ?? "not covered", scenarios: s?.scenarios ?? [] };
  });
  const ratio = (items: CoverageItem[]) =>
    items.length === 0 ? 1 : items.filter((i) => i.state === "passed").length / items.length;
  return {
    protocol: spec.protocol,
    operations,
    messages,
    operationRatio: ratio(operations),
    messageRatio: ratio(messages),
  };
}
