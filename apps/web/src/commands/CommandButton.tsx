// A button for a registered command: its label, shortcut, whether it applies
// and why not, and, for a switch, whether it is on.
import { type ReactNode, useId, useState } from 'react';
import { useEditor, useEditorStore } from '../store/context.js';
import { formatShortcut, isMac, runCommand } from './command.js';
import { getCommand } from './commands.js';

export interface CommandButtonProps {
  readonly name: string;
  /** The icon. */
  readonly children: ReactNode;
  /** `icon-button` (the default) shows the icon alone; the others show the label beside it. */
  readonly look?: 'icon-button' | 'button' | 'button primary' | 'button danger';
}

export function CommandButton({ name, children, look = 'icon-button' }: CommandButtonProps) {
  const store = useEditorStore();
  const command = getCommand(name);
  const enabled = useEditor((s) => command?.when(s) ?? false);
  const blocker = useEditor((s) => command?.blocker?.(s) ?? null);
  const pressed = useEditor((s) => command?.pressed?.(s));
  const [running, setRunning] = useState(false);
  const reasonId = useId();
  if (!command) return null;
  const shortcut = command.shortcuts[0];
  const text = command.description ?? command.label;
  const hint = shortcut ? `${text} (${formatShortcut(shortcut, isMac())})` : text;
  const reason = running ? (command.pending ?? null) : enabled ? null : blocker;
  const iconOnly = look === 'icon-button';
  const button = (
    <button
      type="button"
      className={look}
      aria-label={iconOnly ? command.label : undefined}
      aria-pressed={pressed}
      aria-describedby={reason ? reasonId : undefined}
      title={command.blocker ? undefined : hint}
      disabled={!enabled || running}
      onClick={() => {
        const result = runCommand(command, { store });
        if (!result) return;
        setRunning(true);
        void result.finally(() => setRunning(false));
      }}
    >
      {children}
      {!iconOnly && ` ${command.label}`}
    </button>
  );
  // A disabled button shows no tooltip: a command that can be blocked says why around it.
  if (!command.blocker) return button;
  return (
    <span title={reason ?? hint}>
      {button}
      {reason && (
        <span id={reasonId} className="visually-hidden">
          {reason}
        </span>
      )}
    </span>
  );
}
