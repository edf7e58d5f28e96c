// File access confined to the data directory: no absolute paths, no `..`,
// no symbolic link that leads out; and only regular files with one name are
// opened, without ever waiting on a named pipe. Messages name files as the
// analyst knows them (relative to the data directory), never by absolute path.
import { constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readdir, realpath, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

// O_NONBLOCK: opening a named pipe would otherwise wait for the other end on a
// thread of libuv's pool (four are shared by every file operation of the
// process), and a few such opens freeze all file I/O. It changes nothing for a
// regular file. O_NOFOLLOW: the path was resolved, links and all; a link
// swapped in since is refused.
const SAFE = constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0);
const READ_FLAGS = constants.O_RDONLY | SAFE;
// No O_TRUNC: the file is checked before anything in it is touched.
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | SAFE;

/** Why the OS refused a file, in an analyst's words. */
const REASONS: Record<string, string> = {
  EACCES: 'the server may not open it (permission denied)',
  EPERM: 'the server may not open it (permission denied)',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'goes through something that is not a folder',
  ELOOP: 'is a symbolic link changed while it was being opened',
  ENXIO: 'is a named pipe, not a file',
  ENOSPC: 'the disk is full',
  EROFS: 'the disk is read-only',
  EMFILE: 'the server has too many files open',
  ENAMETOOLONG: 'the name is too long',
};

export class DataDir {
  readonly root: string;
  readonly #shownAs: string;

  /** `shownAs` is how messages name the root, e.g. 'files' for the server's files folder. */
  constructor(root: string, shownAs = '') {
    this.root = resolve(root);
    this.#shownAs = shownAs;
  }

  /** `path` as the analyst knows it, e.g. 'files/orders.csv'. */
  shown(path: string): string {
    return this.#shownAs === '' ? path : join(this.#shownAs, path);
  }

  /** Opens an existing regular file inside the data directory for reading. */
  async openForReading(path: string): Promise<FileHandle> {
    const real = await this.resolveExisting(path);
    return this.#checked(await this.#open(real, READ_FLAGS, path), path);
  }

  /**
   * Opens a file inside the data directory for writing, creating it and its
   * folders, and empties it once it is known to be a regular file of its own.
   */
  async openForWriting(path: string): Promise<FileHandle> {
    const full = await this.resolveForWriting(path);
    const handle = await this.#checked(await this.#open(full, WRITE_FLAGS, path), path);
    try {
      await handle.truncate(0);
    } catch (cause) {
      await handle.close();
      throw this.#refusal(cause, path);
    }
    return handle;
  }

  /**
   * Opens a file inside the data directory for writing in place, creating it
   * and its folders, without emptying it (a sink that recovers its output
   * after a restart truncates it to what its checkpoint says).
   */
  async openForUpdate(path: string): Promise<FileHandle> {
    const full = await this.resolveForWriting(path);
    return this.#checked(await this.#open(full, WRITE_FLAGS, path), path);
  }

  /** Deletes a file inside the data directory; a file already gone is fine. */
  async remove(path: string): Promise<void> {
    const full = await this.resolveForWriting(path);
    try {
      await unlink(full);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw this.#refusal(cause, path);
    }
  }

  /** The names in the folder holding `path` (inside the data directory); none when it does not exist. */
  async siblings(path: string): Promise<string[]> {
    const full = await this.resolveForWriting(path);
    return readdir(dirname(full)).catch(() => []);
  }

  /** The absolute path of an existing file inside the data directory. */
  async resolveExisting(path: string): Promise<string> {
    const lexical = this.#lexical(path);
    let real: string;
    try {
      real = await realpath(lexical);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
        throw new DataDirError(`There is no file '${this.shown(path)}' in the data directory.`);
      throw this.#refusal(cause, path);
    }
    await this.#inside(real, path);
    return real;
  }

  /** The absolute path for a file to write inside the data directory; creates its folders. */
  async resolveForWriting(path: string): Promise<string> {
    const lexical = this.#lexical(path);
    try {
      // Check the deepest folder that exists before creating any: through a
      // link, `mkdir -p` would otherwise create folders outside.
      await this.#inside(await this.#deepestExisting(dirname(lexical)), path);
      await mkdir(dirname(lexical), { recursive: true });
      await this.#inside(await realpath(dirname(lexical)), path);
      try {
        const real = await realpath(lexical);
        await this.#inside(real, path);
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
        // A dangling link would be followed when the file is created, wherever it points.
        if ((await lstat(lexical).catch(() => undefined))?.isSymbolicLink()) {
          throw new DataDirError(
            `'${this.shown(path)}' is a symbolic link to a file that does not exist.`,
          );
        }
      }
    } catch (cause) {
      throw this.#refusal(cause, path);
    }
    return lexical;
  }

  async #open(full: string, flags: number, path: string): Promise<FileHandle> {
    try {
      return await open(full, flags, 0o644);
    } catch (cause) {
      throw this.#refusal(cause, path);
    }
  }

  /** Keeps `handle` only if it is a regular file with no other name; what was opened is checked, not the path. */
  async #checked(handle: FileHandle, path: string): Promise<FileHandle> {
    try {
      const stats = await handle.stat();
      const shown = this.shown(path);
      if (stats.isDirectory()) throw new DataDirError(`'${shown}' is a folder, not a file.`);
      if (stats.isFIFO()) {
        throw new DataDirError(
          `'${shown}' is a named pipe, not a file: file nodes read and write regular files only.`,
        );
      }
      if (!stats.isFile()) {
        throw new DataDirError(
          `'${shown}' is not a regular file (a device or a socket): file nodes read and write regular files only.`,
        );
      }
      if (stats.nlink > 1) {
        throw new DataDirError(
          `'${shown}' has another name (a hard link), so it may be another file of the server's: copy the file instead of linking it.`,
        );
      }
      return handle;
    } catch (cause) {
      await handle.close();
      throw this.#refusal(cause, path);
    }
  }

  /** A DataDirError naming `path` as the analyst knows it, whatever the OS said. */
  #refusal(cause: unknown, path: string): DataDirError {
    if (cause instanceof DataDirError) return cause;
    const code = (cause as NodeJS.ErrnoException).code ?? '';
    const reason = REASONS[code] ?? `the system refused it (${code || 'unknown error'})`;
    const shown = this.shown(path);
    return new DataDirError(
      /^(is|goes) /.test(reason)
        ? `'${shown}' ${reason}.`
        : `Could not open '${shown}': ${reason}.`,
    );
  }

  /** The real path of `folder`, or of its nearest ancestor that exists. */
  async #deepestExisting(folder: string): Promise<string> {
    for (let current = folder; ; current = dirname(current)) {
      try {
        return await realpath(current);
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw cause;
        // A data directory that does not exist yet is created with the folders inside it.
        if (current === this.root || dirname(current) === current) return this.root;
      }
    }
  }

  #lexical(path: string): string {
    if (path === '' || isAbsolute(path) || /^[A-Za-z]:/.test(path)) {
      throw new DataDirError(`'${path}' must be a path relative to the data directory.`);
    }
    const full = resolve(this.root, path);
    const rel = relative(this.root, full);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new DataDirError(`'${path}' leads out of the data directory.`);
    }
    return full;
  }

  async #inside(real: string, path: string): Promise<void> {
    const root = await realpath(this.root).catch(() => this.root);
    const rel = relative(root, real);
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new DataDirError(
        `'${this.shown(path)}' leads out of the data directory through a symbolic link.`,
      );
    }
  }
}
