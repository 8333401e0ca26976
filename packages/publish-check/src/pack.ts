/** Packs workspace packages into tarballs with pnpm (workspace:* becomes the real version). */
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CommandOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs a command, failing with its output when it fails or runs past the time limit. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(command, [...args], {
      cwd: options.cwd,
      timeout: options.timeoutMs,
      killSignal: "SIGKILL",
      maxBuffer: 64 * 1024 * 1024,
      env: options.env ?? process.env,
    });
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string; killed?: boolean };
    throw new Error(
      `${command} ${args.join(" ")} failed in ${options.cwd}${failure.killed ? ` (killed after ${options.timeoutMs} ms)` : ""}: ${failure.message}\n${failure.stdout ?? ""}\n${failure.stderr ?? ""}`,
    );
  }
}

/** `pnpm pack` of one package directory into destDir; resolves to the tarball's path. */
export async function packPackage(pkgDir: string, destDir: string, timeoutMs = 180_000): Promise<string> {
  const before = new Set(await readdir(destDir));
  await runCommand("npx", ["-y", "pnpm@10", "pack", "--pack-destination", destDir], { cwd: pkgDir, timeoutMs });
  const created = (await readdir(destDir)).filter((file) => file.endsWith(".tgz") && !before.has(file));
  if (created.length !== 1) throw new Error(`pnpm pack in ${pkgDir} wrote ${created.length} tarballs`);
  return join(destDir, created[0]!);
}
