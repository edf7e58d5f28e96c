// File access confined to the data directory: no absolute paths, no `..`,
// and no symbolic link that leads out.
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

export class DataDir {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The absolute path of an existing file inside the data directory. */
  async resolveExisting(path: string): Promise<string> {
    const lexical = this.#lexical(path);
    let real: string;
    try {
      real = await realpath(lexical);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        throw new DataDirError(`There is no file '${path}' in the data directory (${this.root}).`);
      throw cause;
    }
    await this.#inside(real, path);
    return real;
  }

  /** The absolute path for a file to write inside the data directory; creates its folders. */
  async resolveForWriting(path: string): Promise<string> {
    const lexical = this.#lexical(path);
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
        throw new DataDirError(`'${path}' is a symbolic link to a file that does not exist.`);
      }
    }
    return lexical;
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
      throw new DataDirError(`'${path}' leads out of the data directory through a symbolic link.`);
    }
  }
}
