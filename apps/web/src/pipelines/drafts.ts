// Drafts: the open document kept in this browser's localStorage while the
// server does not have it yet, so a reload, a crash or a server that is down
// loses nothing. One per pipeline id, plus one for a new pipeline not saved
// yet; at most DRAFT_LIMIT, the oldest dropped. Pipelines hold no secrets
// (credentials never go in a document), so a draft holds none either.
import { type Pipeline, readPipelineValue } from '@sluice/shared';

/** Drafts kept at most; past it, the oldest is dropped. */
export const DRAFT_LIMIT = 20;
export const DRAFT_KEY_PREFIX = 'sluice.draft.';
/** The list of drafts kept, oldest first: small, so bounding them reads no document. */
export const DRAFT_INDEX_KEY = 'sluice.drafts';
/** The draft of a new pipeline, which has no id yet. */
const NEW_PIPELINE = 'new';

export interface Draft {
  /** The pipeline's id, or null for a new one not saved yet. */
  readonly pipelineId: string | null;
  /** The server version the edits started from; null for a new pipeline. */
  readonly baseVersion: number | null;
  /** When it was written, epoch ms. */
  readonly savedAt: number;
  readonly document: Pipeline;
}

/** `kept`; or `full`: the browser refused to store it (quota, or storage turned off). */
export type DraftWrite = 'kept' | 'full';

/** The part of the Web Storage API drafts use. */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

interface IndexEntry {
  readonly id: string;
  readonly savedAt: number;
}

const idOf = (pipelineId: string | null) => pipelineId ?? NEW_PIPELINE;
const keyOf = (id: string) => `${DRAFT_KEY_PREFIX}${id}`;

export class DraftStore {
  constructor(
    private readonly storage: DraftStorage | null,
    private readonly limit = DRAFT_LIMIT,
  ) {}

  /** The draft of a pipeline (null: the new one), or null when none is kept or it cannot be read. */
  read(pipelineId: string | null): Draft | null {
    const text = this.#get(keyOf(idOf(pipelineId)));
    if (text === null) return null;
    const draft = parseDraft(text, pipelineId);
    // A draft this page cannot read would be offered never: it goes.
    if (!draft) this.remove(pipelineId);
    return draft;
  }

  /** Keeps a draft, dropping the oldest others past the limit, or when the browser says it is full. */
  write(draft: Draft): DraftWrite {
    if (!this.storage) return 'full';
    const id = idOf(draft.pipelineId);
    let index = [...this.#index().filter((e) => e.id !== id), { id, savedAt: draft.savedAt }];
    while (index.length > this.limit) index = this.#drop(index, 0);
    const text = JSON.stringify(draft);
    for (;;) {
      try {
        this.storage.setItem(keyOf(id), text);
        this.#setIndex(index);
        return 'kept';
      } catch {
        // Full: older drafts give way to the newest one, which is the work in hand.
        const oldest = index.findIndex((e) => e.id !== id);
        if (oldest < 0) break;
        index = this.#drop(index, oldest);
      }
    }
    // Not even this one fits: an older version of it would be offered back as if it were the latest.
    this.remove(draft.pipelineId);
    return 'full';
  }

  remove(pipelineId: string | null): void {
    const id = idOf(pipelineId);
    this.#remove(keyOf(id));
    const index = this.#index();
    if (index.some((e) => e.id === id)) this.#setIndex(index.filter((e) => e.id !== id));
  }

  /** The ids of the drafts kept (`null` for the new pipeline's), oldest first. */
  ids(): (string | null)[] {
    return this.#index().map((e) => (e.id === NEW_PIPELINE ? null : e.id));
  }

  #drop(index: IndexEntry[], at: number): IndexEntry[] {
    const entry = index[at];
    if (entry) this.#remove(keyOf(entry.id));
    return index.filter((_, i) => i !== at);
  }

  #index(): IndexEntry[] {
    const text = this.#get(DRAFT_INDEX_KEY);
    if (text === null) return [];
    try {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) return [];
      return parsed
        .filter(
          (e): e is IndexEntry =>
            typeof e === 'object' &&
            e !== null &&
            typeof e.id === 'string' &&
            typeof e.savedAt === 'number',
        )
        .sort((a, b) => a.savedAt - b.savedAt);
    } catch {
      return [];
    }
  }

  #setIndex(index: readonly IndexEntry[]): void {
    try {
      this.storage?.setItem(DRAFT_INDEX_KEY, JSON.stringify(index));
    } catch {
      // The index is small; should even it not fit, the drafts are still there to read.
    }
  }

  #get(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  #remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      // Nothing to do: storage that cannot be written to holds nothing of ours either.
    }
  }
}

/** A draft read back, its document checked (and migrated) like any pipeline file. */
function parseDraft(text: string, pipelineId: string | null): Draft | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { baseVersion, savedAt, document } = value as Record<string, unknown>;
  if (typeof savedAt !== 'number') return null;
  if (baseVersion !== null && typeof baseVersion !== 'number') return null;
  const read = readPipelineValue(document);
  if (!read.pipeline) return null;
  return { pipelineId, baseVersion, savedAt, document: read.pipeline };
}

/** The drafts of this page: localStorage, or none where the browser refuses it. */
export function browserDrafts(): DraftStore {
  let storage: DraftStorage | null = null;
  try {
    storage = globalThis.localStorage ?? null;
  } catch {
    // Storage turned off: reading `localStorage` throws.
  }
  return new DraftStore(storage);
}
