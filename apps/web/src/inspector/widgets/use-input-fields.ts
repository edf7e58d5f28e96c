import type { WidgetProps } from '@rjsf/utils';
import type { Field, FieldType } from '@sluice/shared';
import { useMemo } from 'react';
import { expectedTypes } from '../../expression/expectations.js';
import { useEditor } from '../../store/context.js';
import { configPath, inputFields, inputSchemas } from '../input-fields.js';

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

/** The type the widget's expression must give (a filter's condition: boolean), when its operator says. */
export function useExpectedType(props: WidgetProps): FieldType | undefined {
  const { nodeId } = props.registry.formContext as FormContext;
  const node = useEditor((s) => s.document.nodes.find((n) => n.id === nodeId));
  const edges = useEditor((s) => s.document.edges);
  const schemas = useEditor((s) => s.analysis.schemas);
  const path = configPath(props.id);
  return useMemo(
    () => (node ? expectedTypes(node, inputSchemas(edges, schemas, nodeId)).get(path) : undefined),
    [node, edges, schemas, nodeId, path],
  );
}
