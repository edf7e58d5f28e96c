// A node's settings, rendered from its kind's JSON Schema by the schema-form
// library, with Sluice's widgets for expressions, durations and fields.
import Form, { getDefaultRegistry } from '@rjsf/core';
import type { RegistryWidgetsType, RJSFSchema, WidgetProps } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import type { JsonSchemaNode } from '@sluice/shared';
import { memo, useCallback, useMemo } from 'react';
import type { CatalogEntry } from '../catalog/catalog.js';
import { updateNode } from '../document/document.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { buttonTemplates } from './form-buttons.js';
import { configErrors, formSchema, HiddenField, uiSchemaFor } from './form-schema.js';
import { KafkaTopicWidget } from './kafka/KafkaTopicWidget.js';
import { DurationWidget } from './widgets/DurationWidget.js';
import { ExpressionWidget } from './widgets/ExpressionWidget.js';
import { FieldsWidget, FieldWidget } from './widgets/FieldWidgets.js';
import type { FormContext } from './widgets/use-input-fields.js';
import { ValuesWidget } from './widgets/ValuesWidget.js';

// Validation is the shared validator's job (live, on the whole pipeline); the
// form's own validator is only used to choose between union options.
const validator = customizeValidator({ ajvOptionsOverrides: { strict: false } });

const DefaultText = getDefaultRegistry().widgets.TextWidget!;

/** Strings are dispatched on `x-sluice-widget`, so widgets apply inside unions and arrays too. */
function SluiceTextWidget(props: WidgetProps) {
  switch ((props.schema as JsonSchemaNode)['x-sluice-widget']) {
    case 'expression':
      return <ExpressionWidget {...props} />;
    case 'duration':
      return <DurationWidget {...props} />;
    case 'field':
      return <FieldWidget {...props} />;
    case 'kafka-topic':
      return <KafkaTopicWidget {...props} />;
    default:
      return <DefaultText {...props} />;
  }
}

const widgets: RegistryWidgetsType = {
  TextWidget: SluiceTextWidget,
  fields: FieldsWidget,
  values: ValuesWidget,
};

const fields = { hidden: HiddenField };

const templates = { ButtonTemplates: buttonTemplates };

interface Props {
  readonly nodeId: string;
  readonly entry: CatalogEntry;
}

export const ConfigForm = memo(function ConfigForm({ nodeId, entry }: Props) {
  const store = useEditorStore();
  const config = useEditor((s) => s.document.nodes.find((n) => n.id === nodeId)?.config);
  const index = useEditor((s) => s.document.nodes.findIndex((n) => n.id === nodeId));
  const diagnostics = useEditor((s) => s.analysis.diagnostics);
  const schema = useMemo(() => formSchema(entry.config) as RJSFSchema, [entry.config]);
  // What hides or shows settings (a file's format); the whole config would redo it on every key.
  const format = (config as { format?: unknown } | undefined)?.format;
  const uiSchema = useMemo(
    () => ({ ...uiSchemaFor(schema, { format }), 'ui:submitButtonOptions': { norender: true } }),
    [schema, format],
  );
  const extraErrors = useMemo(() => configErrors(diagnostics, index), [diagnostics, index]);
  const formContext = useMemo<FormContext>(() => ({ nodeId }), [nodeId]);

  const onChange = useCallback(
    ({ formData }: { formData?: unknown }) => {
      const next = (formData ?? {}) as Record<string, unknown>;
      store
        .getState()
        .edit(
          'Edit settings',
          (doc) =>
            updateNode(doc, nodeId, (node) =>
              JSON.stringify(node.config ?? {}) === JSON.stringify(next)
                ? node
                : { ...node, config: next },
            ),
          { coalesce: `config:${nodeId}` },
        );
    },
    [store, nodeId],
  );

  return (
    <Form
      key={nodeId}
      className="config-form"
      schema={schema}
      uiSchema={uiSchema}
      formData={config ?? {}}
      formContext={formContext}
      validator={validator}
      widgets={widgets}
      fields={fields}
      templates={templates}
      idPrefix="cfg"
      idSeparator="."
      extraErrors={extraErrors}
      showErrorList={false}
      noHtml5Validate
      experimental_defaultFormStateBehavior={{ emptyObjectFields: 'skipDefaults' }}
      onChange={onChange}
    />
  );
});
