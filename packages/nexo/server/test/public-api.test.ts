// Public API on purpose: src/index.ts re-exports by name, and every generated name is among them.
import { describePublicApi } from "@payspec/specs/testing";

describePublicApi(new URL("..", import.meta.url).href);
