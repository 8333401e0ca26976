/** The workspace's packages, found from the globs of pnpm-workspace.yaml. */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

export interface WorkspacePackage {
  readonly name: string;
  /** Absolute directory. */
  readonly dir: string;
  /** Directory relative to the workspace root, with / separators. */
  readonly path: string;
  readonly private: boolean;
  readonly manifest: PackageManifest;
}

/** The workspace root this package sits in (packages/publish-check → ../..). */
export function workspaceRoot(): string {
  return fileURLToPath(new URL("../../../", import.meta.url));
}

/**
 * Expands one pnpm-workspace.yaml glob: literal segments and `*` segments (a `*` matches one
 * directory name, hidden and node_modules excluded); `**` and negations are not used here and are refused.
 */
async function expand(root: string, pattern: string): Promise<string[]> {
  if (pattern.startsWith("!") || pattern.includes("**")) throw new Error(`unsupported workspace glob ${pattern}`);
  let dirs = [root];
  for (const segment of pattern.split("/").filter((s) => s !== "" && s !== ".")) {
    const next: string[] = [];
    for (const dir of dirs) {
      if (!segment.includes("*")) {
        if (existsSync(join(dir, segment))) next.push(join(dir, segment));
        continue;
      }
      const matcher = new RegExp(`^${segment.split("*").map(escapeRegExp).join("[^/]*")}$`);
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (
          entry.isDirectory() &&
          !entry.name.startsWith(".") &&
          entry.name !== "node_modules" &&
          matcher.test(entry.name)
        )
          next.push(join(dir, entry.name));
      }
    }
    dirs = next;
  }
  return dirs;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export async function findWorkspacePackages(root: string = workspaceRoot()): Promise<WorkspacePackage[]> {
  const config = parse(await readFile(join(root, "pnpm-workspace.yaml"), "utf8")) as { packages?: unknown };
  const globs = Array.isArray(config.packages) ? config.packages.filter((g): g is string => typeof g === "string") : [];
  if (globs.length === 0) throw new Error("pnpm-workspace.yaml lists no packages");
  const found = new Map<string, WorkspacePackage>();
  for (const glob of globs) {
    for (const dir of await expand(root, glob)) {
      const file = join(dir, "package.json");
      if (!existsSync(file) || found.has(dir)) continue;
      const manifest = JSON.parse(await readFile(file, "utf8")) as PackageManifest;
      found.set(dir, {
        name: manifest.name,
        dir,
        path: relative(root, dir).split("\\").join("/"),
        private: manifest.private === true,
        manifest,
      });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The workspace packages `name` depends on at run time (dependencies, transitively), itself first. */
export function workspaceClosure(packages: readonly WorkspacePackage[], name: string): WorkspacePackage[] {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const order: WorkspacePackage[] = [];
  const visit = (current: string): void => {
    const pkg = byName.get(current);
    if (pkg === undefined || order.includes(pkg)) return;
    order.push(pkg);
    for (const dep of Object.keys(pkg.manifest.dependencies ?? {})) visit(dep);
  };
  visit(name);
  if (order.length === 0) throw new Error(`${name} is not a workspace package`);
  return order;
}
