// A menu of registered commands behind a small button (the ▾ half of a split
// button): each item says its label and shortcut, and is off when its command
// does not apply. Keyboard as a menu button is: Enter, Space or ↓ opens it on
// the first item, ↑/↓/Home/End move, Escape closes it back onto its button.
import { ChevronDown } from 'lucide-react';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useEditor, useEditorStore } from '../store/context.js';
import { formatShortcut, isMac, runCommand } from './command.js';
import { getCommand } from './commands.js';

export interface CommandMenuProps {
  /** The button's accessible name, and the menu's. */
  readonly label: string;
  /** The commands it offers, in order. */
  readonly names: readonly string[];
  readonly look?: 'button' | 'button danger';
}

export function CommandMenu({ label, names, look = 'button' }: CommandMenuProps) {
  const store = useEditorStore();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  // The names as one string: a stable slice of the store, re-rendered only when one turns on or off.
  const enabled = useEditor((s) => names.map((n) => (getCommand(n)?.when(s) ? '1' : '0')).join(''));
  const commands = names.flatMap((n) => getCommand(n) ?? []);

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const focusItem = (index: number) => {
    const all = items();
    all[(index + all.length) % all.length]?.focus();
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) toggle.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !toggle.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const onMenuKey = (event: KeyboardEvent) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: all.length - 1,
    };
    if (event.key in moves) focusItem(moves[event.key]!);
    else if (event.key === 'Escape') close(true);
    else if (event.key === 'Tab') setOpen(false);
    else return;
    // Handled here: the page's shortcuts (Escape leaves a stopped job) do not see it.
    if (event.key !== 'Tab') event.preventDefault();
    event.stopPropagation();
  };

  const mac = isMac();
  return (
    <span className="command-menu">
      <button
        ref={toggle}
        type="button"
        className={`${look} menu-toggle`}
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={!enabled.includes('1')}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <ChevronDown size={14} aria-hidden="true" />
      </button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={label}
          className="menu"
          onKeyDown={onMenuKey}
        >
          {commands.map((command, i) => {
            const on = enabled[names.indexOf(command.name)] === '1';
            const shortcut = command.shortcuts[0];
            return (
              <button
                key={command.name}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="menu-item"
                aria-label={command.label}
                aria-keyshortcuts={shortcut && ariaShortcut(shortcut, mac)}
                aria-disabled={!on}
                title={
                  on ? command.description : (command.blocker?.(store.getState()) ?? undefined)
                }
                onMouseEnter={() => focusItem(i)}
                onClick={() => {
                  if (!on) return;
                  close(true);
                  void runCommand(command, { store });
                }}
              >
                <span>{command.label}</span>
                {shortcut && <kbd>{formatShortcut(shortcut, mac)}</kbd>}
              </button>
            );
          })}
        </div>
      )}
    </span>
  );
}

/** A registry shortcut in ARIA's words: `Mod+.` is `Control+.` (`Meta+.` on a Mac). */
function ariaShortcut(shortcut: string, mac: boolean): string {
  return shortcut
    .split('+')
    .map((part) => (part === 'Mod' ? (mac ? 'Meta' : 'Control') : part))
    .join('+');
}
