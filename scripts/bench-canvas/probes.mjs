// What the benchmark runs inside the page. Each function is handed to
// page.evaluate, so it uses nothing from this module's scope.

/** Installs `window.__bench`: frame deltas from requestAnimationFrame, long tasks from PerformanceObserver. */
export function installFrameProbe() {
  let frames = [];
  let longTasks = [];
  let raf = 0;
  let observer = null;
  window.__bench = {
    start() {
      frames = [];
      longTasks = [];
      let last = null;
      const tick = (now) => {
        if (last !== null) frames.push(now - last);
        last = now;
        raf = requestAnimationFrame(tick);
      };
      raf = requestAnimationFrame(tick);
      observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      });
      observer.observe({ type: 'longtask' });
    },
    stop() {
      cancelAnimationFrame(raf);
      for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
      observer.disconnect();
      return { frames, longTasks };
    },
  };
}

/**
 * Installs `window.__keys`: for each key pressed in `selector`'s editor, the
 * time from the keydown (its timestamp, when the browser took it in) to the end
 * of the first frame painted after the editor's text changed: the frame's
 * requestAnimationFrame, then a message posted from it, which runs once that
 * frame has been handed to the compositor.
 */
export function installKeyProbe(selector) {
  const host = document.querySelector(selector);
  if (!host) throw new Error(`no ${selector} on the page`);
  const latencies = [];
  let pending = null;
  const afterPaint = (since) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => latencies.push(performance.now() - since);
      channel.port2.postMessage(null);
    });
  const onKey = (event) => {
    pending = event.timeStamp;
  };
  document.addEventListener('keydown', onKey, true);
  const observer = new MutationObserver(() => {
    if (pending === null) return;
    afterPaint(pending);
    pending = null;
  });
  observer.observe(host, { subtree: true, childList: true, characterData: true });
  window.__keys = {
    stop() {
      document.removeEventListener('keydown', onKey, true);
      observer.disconnect();
      return latencies;
    },
  };
}

/** A point of the empty pane (no node, edge or label under it) near the middle of the canvas. */
export function emptyPanePoint() {
  const pane = document.querySelector('.react-flow__pane');
  if (!pane) return null;
  const box = pane.getBoundingClientRect();
  const points = [];
  for (let y = box.top + 40; y < box.bottom - 40; y += 7) {
    for (let x = box.left + 40; x < box.right - 200; x += 7) points.push({ x, y });
  }
  const cx = box.left + box.width / 2;
  const cy = box.top + box.height / 2;
  points.sort((a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy));
  return points.find((p) => document.elementFromPoint(p.x, p.y) === pane) ?? null;
}

/** What the canvas shows: its zoom, the steps drawn and those in view, and steps that overlap. */
export function canvasFacts() {
  const pane = document.querySelector('.react-flow__pane')?.getBoundingClientRect();
  const transform = document.querySelector('.react-flow__viewport')?.style.transform ?? '';
  const zoom = Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? Number.NaN);
  const boxes = [...document.querySelectorAll('.react-flow__node')].map((n) =>
    n.getBoundingClientRect(),
  );
  const inView = pane
    ? boxes.filter(
        (b) =>
          b.right > pane.left && b.left < pane.right && b.bottom > pane.top && b.top < pane.bottom,
      ).length
    : 0;
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (
        a.left < b.right - 1 &&
        b.left < a.right - 1 &&
        a.top < b.bottom - 1 &&
        b.top < a.bottom - 1
      )
        overlaps++;
    }
  }
  return { zoom, drawn: boxes.length, inView, overlaps };
}
