// The form's array buttons with lucide icons and accessible names (the
// library's defaults are icon-font glyphs with only a title).
import type { IconButtonProps } from '@rjsf/utils';
import { ArrowDown, ArrowUp, Copy, Plus, Trash2 } from 'lucide-react';
import type { ReactNode } from 'react';

function FormButton({
  label,
  icon,
  showLabel,
  className = '',
  props,
}: {
  label: string;
  icon: ReactNode;
  showLabel?: boolean;
  className?: string;
  props: IconButtonProps;
}) {
  return (
    <button
      type="button"
      id={props.id}
      className={`btn ${className}`}
      aria-label={label}
      title={label}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {icon}
      {showLabel && <span>{label}</span>}
    </button>
  );
}

function AddButton(props: IconButtonProps) {
  return (
    <FormButton
      label="Add"
      icon={<Plus size={14} aria-hidden="true" />}
      showLabel
      className="btn-add"
      props={props}
    />
  );
}

function RemoveButton(props: IconButtonProps) {
  return <FormButton label="Remove" icon={<Trash2 size={14} aria-hidden="true" />} props={props} />;
}

function MoveUpButton(props: IconButtonProps) {
  return (
    <FormButton label="Move up" icon={<ArrowUp size={14} aria-hidden="true" />} props={props} />
  );
}

function MoveDownButton(props: IconButtonProps) {
  return (
    <FormButton label="Move down" icon={<ArrowDown size={14} aria-hidden="true" />} props={props} />
  );
}

function CopyButton(props: IconButtonProps) {
  return <FormButton label="Copy" icon={<Copy size={14} aria-hidden="true" />} props={props} />;
}

export const buttonTemplates = {
  AddButton,
  RemoveButton,
  MoveUpButton,
  MoveDownButton,
  CopyButton,
};
