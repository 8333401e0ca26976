import { NodeHost, compile } from "@typespec/compiler";
import { getAllHttpServices } from "@typespec/http";
const p = await compile(NodeHost, process.argv[2], { noEmit: true });
const [services] = getAllHttpServices(p);
for (const s of services) for (const op of s.operations) {
  console.log(op.verb.toUpperCase(), op.path, op.operation.name, op.container?.name);
  for (const prm of op.parameters.parameters) console.log("   param", prm.type, prm.name, prm.param.optional ? "?" : "");
  const b = op.parameters.body;
  if (b) console.log("   body", b.bodyKind, b.contentTypes, b.type.kind, b.type.name, b.property?.name);
  for (const r of op.responses) for (const rr of r.responses) console.log("   resp", JSON.stringify(r.statusCodes), r.type.name, rr.body?.contentTypes, rr.body?.type?.name);
  console.log("   auth", JSON.stringify(op.authentication?.options?.map(o=>o.schemes.map(s=>s.id))));
}
