import { Alert, Code, FileInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../forms/schema-form';
import { uploadDocumentFile, type DocumentFile } from './documents-queries';

/**
 * A revision's content file: chosen, uploaded at once to POST /api/documents/files, and named by the
 * SHA-256 the API computed, which is what the form sends and what the person checks against their copy.
 */
export const DocumentFileField: CustomField = ({ field, label, help, error, onChange }) => (
  <FileUpload required={field.required} label={label} help={help} error={error} onChange={onChange} />
);

function FileUpload({
  required,
  label,
  help,
  error,
  onChange,
}: {
  required: boolean;
  label: string;
  help?: string;
  error?: string;
  onChange: (sha256: string) => void;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<DocumentFile>();
  const [state, setState] = useState<{ busy: boolean; failure?: string }>({ busy: false });

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setUploaded(undefined);
    onChange('');
    if (!chosen) return;
    setState({ busy: true });
    try {
      const stored = await uploadDocumentFile(chosen);
      setUploaded(stored);
      onChange(stored.sha256);
      setState({ busy: false });
    } catch (failure) {
      setState({ busy: false, failure: failure instanceof Error ? failure.message : String(failure) });
    }
  };

  return (
    <Stack gap={4}>
      <FileInput
        label={label}
        description={help}
        required={required}
        error={error}
        value={file}
        onChange={(chosen) => void choose(chosen)}
        clearable
        clearButtonProps={{ 'aria-label': t('documents.clearFile') }}
        accept="application/pdf,application/octet-stream,*/*"
      />
      <div aria-live="polite">
        {state.busy && <Text size="sm">{t('documents.uploading')}</Text>}
        {uploaded && (
          <Text size="sm" data-testid="uploaded-file">
            {t('documents.uploaded', { fileName: uploaded.fileName, size: uploaded.size })} SHA-256 <Code data-testid="uploaded-sha256">{uploaded.sha256}</Code>
          </Text>
        )}
      </div>
      {state.failure && (
        <Alert color="red" title={t('documents.uploadFailed')} role="alert">
          {state.failure}
        </Alert>
      )}
    </Stack>
  );
}
