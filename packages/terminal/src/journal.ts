/**
 * The payment journal: an entry is written (and fsynced) before a request leaves, and closed when its outcome is
 * certain. A POS that crashed mid-payment finds the entry open on restart and reconciles it with the vendor.
 *
 * `FileJournal` is an append-only JSON-lines file: one record per change, `fsync` after each append, replayed on
 * open (a torn last line from a crash mid-write is cut off: its request had not left yet).
 */
import { mkdirSync } from "node:fs";
import { type FileHandle, open, readFile, truncate } from "node:fs/promises";
import { dirname } from "node:path";
import { TerminalError } from "./errors.js";
import type { JournalEntry, Outcome } from "./types.js";

export interface Journal {
  /** Records a new open entry; resolves once it is durable. Refuses a reference already present. */
  open(entry: JournalEntry): Promise<void>;
  /** Closes an entry with its outcome; resolves once durable. */
  close(reference: string, outcome: Outcome): Promise<JournalEntry>;
  get(reference: string): JournalEntry | undefined;
  /** Entries still open, oldest first. */
  openEntries(): JournalEntry[];
  entries(): JournalEntry[];
  dispose(): Promise<void>;
}

type JournalRecord =
  | { readonly op: "open"; readonly entry: JournalEntry }
  | { readonly op: "close"; readonly reference: string; readonly outcome: Outcome; readonly at: string };

abstract class BaseJournal implements Journal {
  protected readonly byReference = new Map<string, JournalEntry>();

  protected abstract persist(record: JournalRecord): Promise<void>;

  async open(entry: JournalEntry): Promise<void> {
    if (this.byReference.has(entry.reference)) {
      throw new TerminalError(
        "reference-conflict",
        `reference ${JSON.stringify(entry.reference)} is already journalled`,
      );
    }
    const record: JournalRecord = { op: "open", entry: { ...entry, state: "open" } };
    await this.persist(record);
    this.apply(record);
  }

  async close(reference: string, outcome: Outcome): Promise<JournalEntry> {
    const entry = this.byReference.get(reference);
    if (entry === undefined)
      throw new TerminalError("journal", `no journal entry for reference ${JSON.stringify(reference)}`);
    const record: JournalRecord = { op: "close", reference, outcome, at: new Date().toISOString() };
    await this.persist(record);
    this.apply(record);
    return this.byReference.get(reference) as JournalEntry;
  }

  get(reference: string): JournalEntry | undefined {
    return this.byReference.get(reference);
  }

  openEntries(): JournalEntry[] {
    return [...this.byReference.values()].filter((entry) => entry.state === "open");
  }

  entries(): JournalEntry[] {
    return [...this.byReference.values()];
  }

  async dispose(): Promise<void> {}

  protected apply(record: JournalRecord): void {
    if (record.op === "open") {
      this.byReference.set(record.entry.reference, record.entry);
      return;
    }
    const entry = this.byReference.get(record.reference);
    if (entry === undefined) return;
    this.byReference.set(record.reference, { ...entry, state: "closed", outcome: record.outcome, closedAt: record.at });
  }
}

/** A journal in memory: for tests and for POS processes that accept losing it on a crash. */
export class MemoryJournal extends BaseJournal {
  protected async persist(): Promise<void> {}
}

/** A durable journal in one append-only file. Open it with `FileJournal.open(path)`. */
export class FileJournal extends BaseJournal {
  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {
    super();
  }

  static async open(path: string): Promise<FileJournal> {
    mkdirSync(dirname(path), { recursive: true });
    let text = "";
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    // A crash mid-append leaves a last line without its newline: that record never became durable, and its request
    // never left (the append is awaited before sending). Cut it off; any other bad line is corruption.
    const complete = text.lastIndexOf("\n") + 1;
    if (complete < text.length) await truncate(path, Buffer.byteLength(text.slice(0, complete)));
    const handle = await open(path, "a");
    const journal = new FileJournal(handle, path);
    const lines = text.slice(0, complete).split("\n");
    for (const [index, line] of lines.entries()) {
      if (line.trim() === "") continue;
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch (error) {
        await handle.close();
        throw new TerminalError("journal", `journal ${path} line ${index + 1} is not JSON`, { cause: error });
      }
      journal.apply(record);
    }
    return journal;
  }

  protected async persist(record: JournalRecord): Promise<void> {
    await this.handle.appendFile(`${JSON.stringify(record)}\n`);
    await this.handle.sync();
  }

  override async dispose(): Promise<void> {
    await this.handle.close();
  }
}
