// The generated types agree with the spec's JSON Schema (enum values), and the build type-checks them.
import { describeTypesAgainstSpec } from "@payspec/specs/testing";
import * as types from "../src/index.js";

describeTypesAgainstSpec("wepay", types);
