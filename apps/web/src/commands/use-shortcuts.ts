// Runs the registered command whose shortcut was pressed, unless the key
// belongs to a text field being typed in.
import { useEffect } from 'react';
import type { EditorStore } from '../store/store.js';
import { isMac, matchesShortcut, runCommand } from './command.js';
import { COMMANDS } from './commands.js';

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return target.closest('input, textarea, select, [contenteditable="true"], .cm-editor') !== null;
}

export function useShortcuts(store: EditorStore): void {
  useEffect(() => {
    const mac = isMac();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || typingIn(event.target)) return;
      const state = store.getState();
      // Only Escape-closable dialogs are open over the canvas: leave keys to them.
      if (state.dialog !== null) return;
      const command = COMMANDS.find((c) => c.shortcuts.some((s) => matchesShortcut(s, event, mac)));
      if (!command?.when(state)) return;
      event.preventDefault();
      void runCommand(command, { store });
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
