// Public API of @payspec/publish-check: find the workspace packages, pack them, run commands with a time limit.

export { type CommandOptions, packPackage, runCommand } from "./pack.js";
export {
  findWorkspacePackages,
  type PackageManifest,
  type WorkspacePackage,
  workspaceClosure,
  workspaceRoot,
} from "./workspace.js";
