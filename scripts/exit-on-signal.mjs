// Ctrl-C (or a SIGTERM) would end the process without its 'exit' handlers,
// which stop the JVMs a script started. Where nothing else handles the
// signal when it comes, it becomes an exit, so they run.
let installed = false;

export function exitOnSignal() {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.on(signal, () => {
      if (process.listenerCount(signal) === 1) process.exit(code);
    });
  }
}
