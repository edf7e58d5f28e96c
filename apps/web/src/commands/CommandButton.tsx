// A toolbar button for a registered command: its label, shortcut and whether it applies.
import type { ReactNode } from 'react';
import { useEditor, useEditorStore } from '../store/context.js';
import { formatShortcut, isMac } from './command.js';
import { getCommand } from './commands.js';

export function CommandButton({ name, children }: { name: string; children: ReactNode }) {
  const store = useEditorStore();
  const command = getCommand(name);
  const enabled = useEditor((s) => command?.when(s) ?? false);
  if (!command) return null;
  const shortcut = command.shortcuts[0];
  const hint = shortcut ? `${command.label} (${formatShortcut(shortcut, isMac())})` : command.label;
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={command.label}
      title={hint}
      disabled={!enabled}
      onClick={() => void command.run({ store })}
    >
      {children}
    </button>
  );
}
