// @ts-check
/**
 * Client ↔ server round trip for every operation of a protocol, driven by the spec's own
 * `@opExample`s (as the server package's generated `examples` carries them): the generated
 * client sends the example request over real loopback HTTP to the generated server, whose test
 * handler records what it received and answers the example response. Both sides are asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * @typedef {{ id: string, params: readonly { name: string, in: string, fixed?: string }[], body?: unknown }} Op
 * @typedef {{ title: string, input: Record<string, unknown>, status: number, response?: unknown }} Example
 * @typedef {{ name: string, register: (app: any, handlers: any, options: any) => Promise<void>, operations: readonly Op[] }} Server
 */

/**
 * @param {string} protocol
 * @param {{
 *   examples: Readonly<Record<string, readonly Example[]>>,
 *   servers: readonly Server[],
 *   fastify: () => any,
 *   serverOptions: Record<string, unknown>,
 *   createClient: (baseUrl: string) => any,
 * }} setup
 */
export function describeRoundTrip(protocol, setup) {
  describe(`${protocol} client ↔ server round trip`, () => {
    it("has an example for every operation", () => {
      for (const server of setup.servers) {
        for (const op of server.operations)
          expect(setup.examples[op.id]?.length ?? 0, `@opExample for ${op.id}`).toBeGreaterThan(0);
      }
    });
    for (const server of setup.servers) describeServer(server, setup);
  });
}

/** @param {Server} server @param {Parameters<typeof describeRoundTrip>[1]} setup */
function describeServer(server, setup) {
  /** @type {Map<string, { got?: Record<string, unknown>, reply?: { status: number, body?: unknown } }>} */
  const state = new Map();
  /** @type {any} */
  let app;
  /** @type {any} */
  let client;
  describe(server.name, () => {
    beforeAll(async () => {
      app = setup.fastify();
      /** @type {Record<string, Function>} */
      const handlers = {};
      for (const op of server.operations) {
        handlers[op.id] = (/** @type {Record<string, unknown>} */ input) => {
          const s = state.get(op.id) ?? {};
          s.got = { ...input };
          state.set(op.id, s);
          return s.reply;
        };
      }
      await server.register(app, handlers, setup.serverOptions);
      await app.listen({ port: 0, host: "127.0.0.1" });
      client = setup.createClient(`http://127.0.0.1:${app.server.address().port}`);
    });
    afterAll(() => app?.close());

    for (const op of server.operations) {
      for (const ex of setup.examples[op.id] ?? []) {
        it(`${op.id} (${ex.title})`, async () => {
          state.set(op.id, {
            reply: { status: ex.status, ...(ex.response === undefined ? {} : { body: ex.response }) },
          });
          // An error example is the client's typed error: its status and the vendor's error body.
          const call = client[op.id](ex.input);
          const result =
            ex.status >= 400
              ? await call.then(
                  () => expect.fail(`${op.id} resolved, expected HTTP ${ex.status}`),
                  (/** @type {any} */ err) => {
                    expect(err.status).toBe(ex.status);
                    return err.body;
                  },
                )
              : await call;
          const got = state.get(op.id)?.got;
          expect(got, "the server handler was not called").toBeDefined();
          if (op.body) expect(got?.body).toEqual(ex.input.body);
          for (const p of op.params) {
            if (p.fixed !== undefined || !(p.name in ex.input)) continue;
            const sent = ex.input[p.name];
            expect(got?.[p.name], `${p.in} parameter ${p.name}`).toEqual(p.in === "header" ? String(sent) : sent);
          }
          expect(result).toEqual(ex.response);
        });
      }
    }
  });
}
