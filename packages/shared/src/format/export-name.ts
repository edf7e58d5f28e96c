// The file name of an exported pipeline, the same whether the server's export
// route or the browser's download makes it.

/** A file name that is safe in any header and file system: letters, digits and -. */
export function exportFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 80)
    .replace(/^-+|-+$/g, '');
  return `${slug || 'pipeline'}.json`;
}
