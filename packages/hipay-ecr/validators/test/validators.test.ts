// Every example of the hipay-ecr spec passes its generated validator; hand-made invalid variants fail.
import { describeValidatorsAgainstSpec } from "@payspec/specs/testing";
import * as validators from "../src/index.js";

describeValidatorsAgainstSpec("hipay-ecr", validators);
