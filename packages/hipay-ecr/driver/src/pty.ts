/**
 * A pair of connected pseudo-terminals made by `socat` (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`),
 * for tests over a real serial line: open each path with `serialport`.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";

/** Whether `socat` can be run here. */
export function hasSocat(): boolean {
  return spawnSync("socat", ["-V"], { stdio: "ignore" }).status === 0;
}

export interface PtyPair {
  /** The two device paths (`/dev/pts/N`). */
  readonly paths: readonly [string, string];
  /** Stops socat (both ptys disappear). */
  close(): void;
}

/** Starts socat and resolves with the two pty paths it logs. */
export function ptyPair(): Promise<PtyPair> {
  const socat: ChildProcess = spawn("socat", ["-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let log = "";
    socat.on("error", reject);
    socat.on("exit", (code) => reject(new Error(`socat exited (${code}): ${log}`)));
    socat.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      const paths = [...log.matchAll(/PTY is (\S+)/g)].map((m) => m[1] as string);
      if (paths.length >= 2)
        resolve({
          paths: [paths[0] as string, paths[1] as string],
          close() {
            socat.removeAllListeners("exit");
            socat.kill();
          },
        });
    });
  });
}
