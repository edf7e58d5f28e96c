// One process at a time per state directory: two runs taking checkpoints
// into the same folder (or a process killed and its replacement started
// while the old one still runs) would each believe its checkpoints are the
// latest, and an old run's late checkpoint could commit output twice. The
// lock is a file holding the owner's pid, made with O_EXCL; a lock whose
// process is gone (killed with SIGKILL) is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DirectoryLockedError extends Error {
  override readonly name = 'DirectoryLockedError';
}

const LOCK_FILE = 'lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the directory for this process (creating it); returns what releases
 * it. Throws DirectoryLockedError, naming the pid, when a live process holds it.
 */
export function lockDirectory(dir: string, shownAs = dir): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) rmSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readFileSync(file, 'utf8').trim());
    if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new DirectoryLockedError(
        `${shownAs} is in use by another Sluice process (pid ${owner}). Stop it first, or use another directory (if no Sluice runs there, that pid is another program's now: delete ${file}).`,
      );
    }
    // Left by a process that is gone: take it over.
    rmSync(file, { force: true });
  }
  throw new DirectoryLockedError(`Could not take ${shownAs}: another process keeps taking it.`);
}
