import type { WidgetProps } from '@rjsf/utils';
import type { Field } from '@sluice/shared';
import { useMemo } from 'react';
import { useEditor } from '../../store/context.js';
import { inputFields } from '../input-fields.js';

export interface FormContext {
  readonly nodeId: string;
}

/** The fields flowing into the form's node, on the widget's `x-sluice-port` when it names one. */
export function useInputFields(props: WidgetProps): Field[] {
  const { nodeId } = props.registry.formContext as FormContext;
  const port = (props.schema as { 'x-sluice-port'?: string })['x-sluice-port'];
  const edges = useEditor((s) => s.document.edges);
  const schemas = useEditor((s) => s.analysis.schemas);
  return useMemo(() => inputFields(edges, schemas, nodeId, port), [edges, schemas, nodeId, port]);
}
