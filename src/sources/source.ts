import type { SourceAttribute } from './source-attribute.js';

/**
 * Where indicators come from: the MISP REST API or a MISP-format feed. Phase 2's realtime path
 * (MISP ZeroMQ) implements the same interface.
 */
export interface Source {
  /** Stable id, used for the cursor and provenance: `misp` or `feed:<name>`. */
  readonly id: string;
  /**
   * Whether `incremental` pulls are honoured. A source without them always pulls everything,
   * and the store then treats each pull as a reconcile.
   */
  readonly supportsIncremental: boolean;
  /**
   * Every attribute the source holds (`full`), or those changed since `since` (`incremental`).
   * Throws an IocrelayError on any failure; a partial pull must never look complete.
   */
  pull(request: PullRequest): AsyncIterable<readonly SourceAttribute[]>;
}

export interface PullRequest {
  readonly mode: 'full' | 'incremental';
  /** With `incremental`: attribute timestamp (Unix seconds) to start from, inclusive. */
  readonly since?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PullProgress) => void;
}

export interface PullProgress {
  /** Pages or feed events read so far. */
  readonly pages: number;
  readonly attributes: number;
}
