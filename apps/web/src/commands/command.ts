// What an editor command is (Excalidraw's actions): one declaration with its
// name, label, shortcuts, when it applies, what it does and how it is undone.
// Menus, buttons, the shortcut list and the keyboard all read the registry.
import { flushSync } from 'react-dom';
import { flushAfterPaint } from '../inspector/after-paint.js';
import type { EditorState, EditorStore } from '../store/store.js';

export interface CommandContext {
  readonly store: EditorStore;
}

export interface Command {
  readonly name: string;
  readonly label: string;
  /** e.g. `Mod+Z` (Ctrl, or Cmd on a Mac), `Shift+L`, `Delete`, `?`. The first is shown. */
  readonly shortcuts: readonly string[];
  /** A longer hint for its button, when the label alone does not say enough. */
  readonly description?: string;
  /** Whether the command applies to the editor as it is. */
  readonly when: (state: EditorState) => boolean;
  /** Why it does not apply, in an analyst's words, shown on its button (null when it does). */
  readonly blocker?: (state: EditorState) => string | null;
  /** For a switch (the dark theme): whether it is on. */
  readonly pressed?: (state: EditorState) => boolean;
  /** What its button says while it runs, for a command that takes a while (deploying). */
  readonly pending?: string;
  readonly run: (context: CommandContext) => void | Promise<void>;
  /**
   * How it is undone: `history` — it changes the document as one step that
   * Undo restores; `none` — it changes no document (view, clipboard, undo itself).
   */
  readonly undo: 'history' | 'none';
}

export function defineCommand(command: Command): Command {
  return command;
}

const running = new Set<string>();

/**
 * Runs a command that applies, from a button or a shortcut alike; a command
 * still running (a deploy waiting for the server) is not started twice.
 */
export function runCommand(command: Command, context: CommandContext): Promise<void> | undefined {
  // The text of an editor typed in a moment ago is part of the document the command sees
  // (flushSync: the form passes it on from its own state update, which React would otherwise defer).
  flushSync(() => flushAfterPaint());
  if (running.has(command.name) || !command.when(context.store.getState())) return undefined;
  const result = command.run(context);
  if (!result) return undefined;
  running.add(command.name);
  return result.finally(() => running.delete(command.name));
}

export interface KeyStroke {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** Whether a keystroke is `shortcut`. `Mod` is Cmd on a Mac and Ctrl elsewhere. */
export function matchesShortcut(shortcut: string, stroke: KeyStroke, mac: boolean): boolean {
  const parts = shortcut.split('+');
  const key = parts.pop()!.toLowerCase();
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  const mod = mac ? stroke.metaKey : stroke.ctrlKey;
  if (mods.has('mod') !== mod) return false;
  if (mods.has('alt') !== stroke.altKey) return false;
  if (!mac && stroke.metaKey) return false;
  if (mac && stroke.ctrlKey && !mods.has('ctrl')) return false;
  // A punctuation key such as `?` already says whether Shift was held.
  const punctuation = key.length === 1 && !/[a-z0-9]/.test(key);
  if (!punctuation && mods.has('shift') !== stroke.shiftKey) return false;
  return stroke.key.toLowerCase() === key;
}

/** A shortcut as a person reads it on this platform: `Ctrl+Shift+Z`, `⌘⇧Z`. */
export function formatShortcut(shortcut: string, mac: boolean): string {
  const parts = shortcut.split('+');
  if (!mac) return parts.map((p) => (p === 'Mod' ? 'Ctrl' : p)).join('+');
  const symbols: Record<string, string> = { Mod: '⌘', Shift: '⇧', Alt: '⌥', Ctrl: '⌃' };
  return parts.map((p) => symbols[p] ?? p).join('');
}

export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}
