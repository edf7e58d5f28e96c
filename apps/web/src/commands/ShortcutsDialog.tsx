// The shortcut list, read from the command registry.
import { Dialog } from '../app/Dialog.js';
import { useEditorStore } from '../store/context.js';
import { formatShortcut, isMac } from './command.js';
import { COMMANDS } from './commands.js';

export function ShortcutsDialog() {
  const store = useEditorStore();
  const mac = isMac();
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => store.getState().openDialog(null)}>
      <table className="shortcuts">
        <tbody>
          {COMMANDS.filter((c) => c.shortcuts.length > 0).map((c) => (
            <tr key={c.name}>
              <td>{c.label}</td>
              <td>
                {c.shortcuts.map((s) => (
                  <kbd key={s}>{formatShortcut(s, mac)}</kbd>
                ))}
              </td>
            </tr>
          ))}
          <tr>
            <td>Add a step at a point</td>
            <td>Double-click the canvas</td>
          </tr>
          <tr>
            <td>Select several steps</td>
            <td>
              <kbd>Shift</kbd>-click or drag a box with <kbd>Shift</kbd>
            </td>
          </tr>
        </tbody>
      </table>
    </Dialog>
  );
}
