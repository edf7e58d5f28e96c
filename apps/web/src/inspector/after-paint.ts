// What a keystroke sets off that its character need not wait for. An editor
// with its own text (CodeMirror) shows a key at once; passing the new text on
// to the document (the form's state, the store, the canvas's node, the
// history) waits until that frame has been painted, and keys typed meanwhile
// are passed on together. Anything that reads the document for the user (a
// command, the editor losing focus, the page going away) flushes first.

type Scheduler = (flush: () => void) => void;

/** After the next frame is painted: its animation frame, then a task queued from it. */
const afterNextPaint: Scheduler = (flush) => {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      flush();
    };
    channel.port2.postMessage(null);
  });
};

/** A page in the background paints nothing: this passes the text on regardless. */
const AT_LATEST_MS = 100;

const pending = new Map<object, () => void>();
let scheduled = false;
let schedule: Scheduler = afterNextPaint;

/** Runs `pass` (the latest one for `key`) once the frame showing the change has been painted. */
export function afterPaint(key: object, pass: () => void): void {
  pending.set(key, pass);
  if (scheduled) return;
  scheduled = true;
  const timer = setTimeout(flushAfterPaint, AT_LATEST_MS);
  schedule(() => {
    clearTimeout(timer);
    flushAfterPaint();
  });
}

/** Passes on now what is waiting (all of it, or only `key`'s). */
export function flushAfterPaint(key?: object): void {
  if (key !== undefined) {
    const pass = pending.get(key);
    pending.delete(key);
    pass?.();
    return;
  }
  scheduled = false;
  const passes = [...pending.values()];
  pending.clear();
  for (const pass of passes) pass();
}

/** Forgets what waits for `key` (its text was replaced from outside). */
export function cancelAfterPaint(key: object): void {
  pending.delete(key);
}

/** For tests: how the wait for a painted frame is made (the browser's by default). */
export function scheduleAfterPaintWith(scheduler: Scheduler | null): void {
  schedule = scheduler ?? afterNextPaint;
}

if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => flushAfterPaint());
  window.addEventListener('beforeunload', () => flushAfterPaint(), { capture: true });
}
