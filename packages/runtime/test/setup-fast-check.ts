// Property tests are reproducible: a fixed seed unless FC_SEED is set (`FC_SEED=random` draws one
// and prints it, to hunt with fresh inputs; a failure prints its seed and path either way).
import fc from "fast-check";

const requested = process.env.FC_SEED;
const seed = requested === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(requested ?? 20261123);
if (requested === "random") console.log(`fast-check seed ${seed}`);
fc.configureGlobal({ seed });
