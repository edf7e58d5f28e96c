// The offer of unsaved changes this browser kept: restore them, or let them go.
import { useEditor, useEditorStore } from '../store/context.js';
import type { DraftOffer, EditorState } from '../store/store.js';
import { discardDraft, draftIsBehind, restoreDraft } from './draft-keeper.js';
import { saveNow } from './session.js';

/** "17:02", or with the day when it is not today. */
export function keptAt(savedAt: number, today = new Date()): string {
  const at = new Date(savedAt);
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === today.toDateString() ? time : `${at.toLocaleDateString()} ${time}`;
}

/** What the banner says of a kept draft. */
export function draftOfferText(state: EditorState, offer: DraftOffer): string {
  const when = keptAt(offer.savedAt);
  if (offer.pipelineId === null) {
    return `A new pipeline, “${offer.document.name}”, from ${when} was never saved; it was kept in this browser.`;
  }
  const kept = `Unsaved changes from ${when} were kept in this browser.`;
  return draftIsBehind(state, offer)
    ? `${kept} The pipeline was saved elsewhere since (now version ${state.serverVersion}), so restoring them saves them as a copy.`
    : kept;
}

export function DraftBanner() {
  const store = useEditorStore();
  const offer = useEditor((s) => s.draftOffer);
  const live = useEditor((s) => s.live.job !== null);
  const text = useEditor((s) => (s.draftOffer ? draftOfferText(s, s.draftOffer) : ''));
  if (!offer || live) return null;
  const restore = async () => {
    // A new pipeline's draft opens beside the open one, whose edits are saved first.
    if (offer.pipelineId === null) await saveNow(store);
    restoreDraft(store);
  };
  return (
    <section className="notice notice-info" aria-label="Unsaved changes kept">
      <span>{text}</span>
      <button type="button" className="button primary" onClick={() => void restore()}>
        Restore
      </button>
      <button type="button" className="button" onClick={() => discardDraft(store)}>
        Discard
      </button>
    </section>
  );
}
