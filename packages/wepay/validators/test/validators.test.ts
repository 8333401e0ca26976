// Every example of the wepay spec passes its generated validator; hand-made invalid variants fail.
import { describeValidatorsAgainstSpec } from "@payspec/specs/testing";
import * as validators from "../src/index.js";

describeValidatorsAgainstSpec("wepay", validators);
