// Where the page is, in its address: `/p/<pipelineId>` for an open pipeline,
// with `?job=<jobId>` while a job of it is shown live; `/` opens the latest.
// Pure functions here; `location-sync.ts` ties them to the store and the history.

/** What an address asks the page to show. */
export interface Place {
  /** The pipeline to open; null for `/` (the latest, or a new one). */
  readonly pipelineId: string | null;
  /** The job to show live, when the address names one. */
  readonly jobId: string | null;
  /** The address named something that cannot be an id (`/p/`, `/p/a/b`, `/p/%00`): said, not guessed at. */
  readonly malformed: boolean;
}

// The server's id forms: pipelines are 80 random bits in base64url, jobs UUIDs.
const PIPELINE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const JOB_ID = /^[A-Za-z0-9_-]{1,100}$/;

export const HOME: Place = { pipelineId: null, jobId: null, malformed: false };

/** Reads an address (`location.pathname` and `location.search`) into the place it names. */
export function parsePlace(pathname: string, search: string): Place {
  if (pathname === '/' || pathname === '') return HOME;
  const match = /^\/p\/([^/]*)\/?$/.exec(pathname);
  if (!match) return { ...HOME, malformed: true };
  let id: string;
  try {
    id = decodeURIComponent(match[1] ?? '');
  } catch {
    return { ...HOME, malformed: true };
  }
  if (!PIPELINE_ID.test(id)) return { ...HOME, malformed: true };
  const job = new URLSearchParams(search).get('job');
  return {
    pipelineId: id,
    jobId: job !== null && JOB_ID.test(job) ? job : null,
    malformed: false,
  };
}

/** The address of a place: `/p/<id>`, `/p/<id>?job=<jobId>`, or `/`. */
export function placeUrl(place: Pick<Place, 'pipelineId' | 'jobId'>): string {
  if (place.pipelineId === null) return '/';
  const path = `/p/${encodeURIComponent(place.pipelineId)}`;
  return place.jobId === null ? path : `${path}?job=${encodeURIComponent(place.jobId)}`;
}

/**
 * How the address follows a change of place: a different pipeline is a new
 * history entry (Back returns to the one before); entering or leaving a job's
 * live view, a new pipeline's first save, and leaving `/` replace the entry.
 */
export function historyStep(from: Place, to: Place): 'push' | 'replace' | 'none' {
  if (placeUrl(from) === placeUrl(to)) return 'none';
  if (from.pipelineId === null || to.pipelineId === null) return 'replace';
  return from.pipelineId === to.pipelineId ? 'replace' : 'push';
}
