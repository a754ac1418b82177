import type { IndicatorKind } from '../normalize/indicator.js';
import type { EntryProvenance, ListEntry } from './renderer.js';

/**
 * What a renderer reads: a list's entries in list order, and how many there are. An array of
 * ListEntry is one; a built list hands over an EntryList.
 */
export type ListEntries = Iterable<ListEntry> & { readonly length: number };

/**
 * A list's entries, held without an object per entry: the value strings, their kinds (the
 * same few interned strings) and, only for formats that write it, provenance. On a
 * million-entry list the `{ kind, value }` objects cost about 40 MB, most of a sync's memory
 * beyond the store; here an entry costs its string and an array slot (two when the list mixes
 * kinds), and a renderer gets one short-lived ListEntry at a time.
 *
 * @example
 * const entries = new EntryList(false);
 * entries.push('ip', '192.0.2.1');
 * [...entries]; // [{ kind: 'ip', value: '192.0.2.1' }]
 */
export class EntryList implements ListEntries {
  #values: string[] = [];
  /** Null while every entry has the kind `#onlyKind` (most lists hold one kind). */
  #kinds: IndicatorKind[] | null = null;
  #onlyKind: IndicatorKind = 'ip';
  /** Null when the list's format writes no provenance. */
  #provenance: (EntryProvenance | undefined)[] | null;

  constructor(withProvenance: boolean) {
    this.#provenance = withProvenance ? [] : null;
  }

  /** Entries of the list, each kept as given. */
  static of(entries: Iterable<ListEntry>): EntryList {
    const all = [...entries];
    const list = new EntryList(all.some((entry) => entry.provenance !== undefined));
    for (const entry of all) list.push(entry.kind, entry.value, entry.provenance);
    return list;
  }

  /** The list keeps provenance (its format writes it). */
  get hasProvenance(): boolean {
    return this.#provenance !== null;
  }

  get length(): number {
    return this.#values.length;
  }

  push(kind: IndicatorKind, value: string, provenance?: EntryProvenance): void {
    if (this.#kinds === null) {
      if (this.#values.length === 0) this.#onlyKind = kind;
      else if (kind !== this.#onlyKind) {
        this.#kinds = new Array<IndicatorKind>(this.#values.length).fill(this.#onlyKind);
      }
    }
    this.#values.push(value);
    this.#kinds?.push(kind);
    this.#provenance?.push(provenance);
  }

  kindAt(index: number): IndicatorKind {
    return this.#kinds === null ? this.#onlyKind : (this.#kinds[index] as IndicatorKind);
  }

  valueAt(index: number): string {
    return this.#values[index] as string;
  }

  at(index: number): ListEntry {
    const kind = this.kindAt(index);
    const value = this.#values[index] as string;
    const provenance = this.#provenance?.[index];
    return provenance === undefined ? { kind, value } : { kind, value, provenance };
  }

  /** The entries at these indexes, in the order given. */
  pick(indexes: readonly number[]): EntryList {
    const picked = new EntryList(this.#provenance !== null);
    for (const index of indexes) {
      picked.push(this.kindAt(index), this.valueAt(index), this.#provenance?.[index]);
    }
    return picked;
  }

  /**
   * Lets the entries go once the list is rendered, so a big list does not stay in memory
   * while it is published and the next one is rendered. The list reads as empty afterwards.
   */
  release(): void {
    this.#values = [];
    this.#kinds = null;
    if (this.#provenance !== null) this.#provenance = [];
  }

  [Symbol.iterator](): Iterator<ListEntry> {
    let index = 0;
    return {
      next: (): IteratorResult<ListEntry> =>
        index < this.#values.length
          ? { done: false, value: this.at(index++) }
          : { done: true, value: undefined },
    };
  }
}
