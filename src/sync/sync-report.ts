import type { IndicatorKind, RejectReason } from '../normalize/indicator.js';
import type { PolicyRule } from '../policy/list-policy.js';

/** What one source gave in a run. */
export interface SourceReport {
  readonly source: string;
  readonly mode: 'full' | 'incremental';
  readonly status: 'ok' | 'failed';
  readonly pages: number;
  readonly attributes: number;
  /** Indicators stored (an attribute may give two, or none when rejected). */
  readonly indicators: number;
  readonly rejected: number;
  readonly durationMs: number;
  readonly errorCode?: string;
}

/** What happened to one list in a run. */
export interface ListReport {
  readonly tenant: string;
  readonly list: string;
  /** Indicator kinds the list holds. */
  readonly kinds: readonly IndicatorKind[];
  readonly status: 'written' | 'unchanged' | 'held' | 'failed' | 'skipped';
  readonly entries: number;
  readonly previousEntries: number | null;
  readonly added: number;
  readonly removed: number;
  readonly location: string | null;
  /** Indicators of the list's kinds kept off it, by policy rule (see docs/policy.md). */
  readonly removedByRule: Readonly<Partial<Record<PolicyRule, number>>>;
  /** Networks listed as the CIDRs left around allowlisted addresses. */
  readonly split: number;
  readonly errorCode?: string;
  /** The error's details in a few words, such as `ENOTDIR`. */
  readonly errorReason?: string;
}

/**
 * The outcome of `iocrelay sync`. `failed`: a source failed and nothing was published;
 * `partial`: some lists could not be written; `held`: some lists were held back by the shrink
 * guard; `ok`: every list is current.
 */
export interface SyncReport {
  readonly runId: number;
  readonly status: 'ok' | 'held' | 'partial' | 'failed';
  readonly sources: readonly SourceReport[];
  readonly lists: readonly ListReport[];
  readonly rejected: Readonly<Partial<Record<RejectReason, number>>>;
  /** Published files no configured list writes any more (`tenant/file`). */
  readonly strayLists: readonly string[];
  readonly durationMs: number;
  readonly error?: {
    readonly code: string;
    readonly message: string;
    readonly source?: string;
    /** The error's details (never secrets), such as the bad warninglist files. */
    readonly details?: Readonly<Record<string, string>>;
  };
}
