// Public API of @payspec/docs: build the static reference site and serve it on localhost.

export { listOperations, type OpenApiInfo, type OperationInfo, openApiDir, readOperations } from "./openapi.js";
export {
  type Flow,
  PACKAGE_ROLES,
  PROTOCOL_DOCS,
  PROTOCOL_NAMES,
  type ProtocolDoc,
  type ProtocolName,
} from "./protocols.js";
export {
  CONTENT_TYPES,
  contentTypeOf,
  type RunningDocs,
  resolveSitePath,
  type ServeDocsOptions,
  serveDocs,
} from "./server.js";
export { type BuildSiteOptions, type BuiltSite, buildSite, defaultSiteDir, escapeHtml } from "./site.js";
