import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two strings in time independent of where they differ and of their lengths:
 * both are hashed to SHA-256 first, so `timingSafeEqual` always sees equal-length input.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a, "utf8").digest();
  const right = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(left, right);
}
