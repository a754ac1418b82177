/** One rendered list, ready to go out. */
export interface PublishItem {
  readonly tenant: string;
  readonly file: string;
  readonly content: Buffer;
  readonly contentType: string;
  /** Hex SHA-256 of `content`. */
  readonly sha256: string;
  /** Entries on the list (lines of a plain list), for headers and status. */
  readonly entries?: number;
  /** The sync run publishing it: a target that failed once in a run is not waited for again. */
  readonly runId?: number;
}

export interface PublishOutcome {
  /** `unchanged`: the target already held these exact bytes and was not touched. */
  readonly status: 'written' | 'unchanged';
  /** Where the list now is: a path, an s3:// URL. */
  readonly location: string;
}

/**
 * A place lists are published to. Variants sit side by side: dir-publisher.ts, and in issue #4
 * s3-publisher.ts and the feed server's memory publisher. Each publish is atomic: a device
 * reads the old list or the new one, never a mix.
 */
export interface Publisher {
  readonly name: string;
  publish(item: PublishItem): Promise<PublishOutcome>;
  /** What the target holds now for a tenant's list, or null when it holds nothing. */
  read(tenant: string, file: string): Promise<Buffer | null>;
}
