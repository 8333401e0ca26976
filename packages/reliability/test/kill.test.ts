// The POS as a separate OS process, killed with SIGKILL mid-payment and restarted: after the journal write, after a
// vendor answer arrived but before the adapter saw it, and at random moments. Bounded for CI (KILL_PAYMENTS, default
// 20 per protocol); `pnpm --filter @payspec/reliability full` runs 1,000 per protocol and writes RELIABILITY.md.
import { describe, expect, it } from "vitest";
import { runKillCampaign } from "../src/kill/campaign.js";
import { PROTOCOLS } from "../src/targets.js";

const PAYMENTS = Number(process.env.KILL_PAYMENTS ?? 20);

describe.each(PROTOCOLS)("%s POS process killed with SIGKILL mid-payment", (protocol) => {
  it(`${PAYMENTS} payments, POS processes SIGKILLed and restarted: the journal and the vendor agree reference by reference`, async () => {
    const result = await runKillCampaign({ protocol, payments: PAYMENTS });
    expect(result.ledger.lost).toEqual([]);
    expect(result.ledger.chargedTwice).toEqual([]);
    expect(result.ledger.phantom).toEqual([]);
    expect(result.ledger.open).toEqual([]);
    expect(result.repeatMismatches).toBe(0);
    expect(result.agreed).toBe(result.attempted);
    expect(result.vendorCharges).toBe(result.approved);
    // The campaign did what it claims: real processes were killed, and killed payments were recovered.
    expect(result.kills).toBeGreaterThan(0);
    expect(result.processes).toBeGreaterThan(result.kills);
    expect(result.approved).toBeGreaterThan(0);
    expect(result.recovered).toBeGreaterThan(0);
  });
});
