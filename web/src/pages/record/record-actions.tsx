import { Alert, Button, Group, Loader, Paper, Text, Title } from '@mantine/core';
import { lazy, Suspense, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AllowedAction, ProcessRecord } from '../../api/process-api';
import { useActionText } from './action-labels';

// The dialogs (and the form library they use) load when first opened: the first page stays smaller.
const SigningDialog = lazy(() => import('./signing-dialog').then((m) => ({ default: m.SigningDialog })));
const ActionFormDialog = lazy(() => import('./action-form-dialog').then((m) => ({ default: m.ActionFormDialog })));

const isSignature = (action: AllowedAction): action is AllowedAction & { action: 'sign' | 'reject' } => action.action === 'sign' || action.action === 'reject';
const keyOf = (a: AllowedAction) => `${a.action}-${a.step}-${a.taskId ?? ''}-${a.outcome ?? ''}`;

/**
 * The version this person read: the one the page showed when they opened the record. The page keeps
 * reading the record (after actions, on focus), so it may show a newer version that nobody pointed
 * out to them; the signing dialog lists the changes since this one.
 */
function useVersionRead(record: ProcessRecord): number {
  const [read, setRead] = useState({ id: record.id, version: record.version });
  // Another record in the same page (a link followed): what was read is its version as first shown.
  if (read.id !== record.id) setRead({ id: record.id, version: record.version });
  return read.id === record.id ? read.version : record.version;
}

/**
 * What the reader may do now: exactly the workflow Query's allowedActions, one button each. A
 * signature opens the signing dialog; any other action its form, built from the request schema.
 * Each opening mounts a fresh dialog (a new signature id, an empty form).
 */
export function RecordActions({ record }: { record: ProcessRecord }) {
  const { t } = useTranslation();
  const text = useActionText(record.type);
  const versionRead = useVersionRead(record);
  const [open, setOpen] = useState<AllowedAction | null>(null);
  // The dialog is unmounted on closing (the next opening starts afresh), so focus goes back to its button here.
  const opener = useRef<HTMLButtonElement | null>(null);
  const close = () => {
    setOpen(null);
    if (opener.current?.isConnected) opener.current.focus();
  };
  const actions = record.allowedActions;
  if (actions === null)
    return (
      <Alert color="yellow" title={t('record.youMay')}>
        {t('record.processUnreachable')}
      </Alert>
    );
  if (actions.length === 0) return null;
  return (
    <Paper withBorder p="md" bg="var(--mantine-color-indigo-0)" component="section" aria-label={t('record.youMay')}>
      <Title order={2} size="h4" mb="sm">
        {t('record.youMay')}
      </Title>
      <Group gap="sm">
        {actions.map((action) => (
          <Button
            key={keyOf(action)}
            variant={action.action === 'sign' || action.action === 'submit' ? 'filled' : 'default'}
            color={action.action === 'reject' || action.action === 'cancel' ? 'red' : undefined}
            onClick={(event) => {
              opener.current = event.currentTarget;
              setOpen(action);
            }}
          >
            {text.button(action)}
          </Button>
        ))}
      </Group>
      <Text size="sm" mt="xs">
        {t('record.actionsHint')}
      </Text>
      <Suspense fallback={<Loader size="sm" aria-label={t('app.loading')} />}>
        {open && isSignature(open) && <SigningDialog record={record} action={open} versionRead={versionRead} onClose={close} />}
        {open && !isSignature(open) && <ActionFormDialog record={record} action={open} onClose={close} />}
      </Suspense>
    </Paper>
  );
}
