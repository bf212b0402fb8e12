import { Alert, Button, Code, Group, Loader, Modal, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { actionPath, getEsignaturePolicy, getProcessRecord, postSignature, type AllowedAction, type ProcessRecord } from '../../api/process-api';
import { bodyOf, fieldsOf, type Field } from '../../forms/form-fields';
import { requestSchemaOf } from '../../forms/json-schema';
import { SchemaFieldList, useSchemaForm } from '../../forms/schema-form';
import { ME_QUERY_KEY, useMe } from '../../session/session';
import { ActionError } from './action-error';
import { useActionText } from './action-labels';
import { ChangesSinceRead } from './changes-since-read';
import { PolicyAcknowledgement, POLICY_QUERY_KEY } from './policy-acknowledgement';
import { useActionDone, useOpenApiDocument } from './record-queries';
import { newSignatureId } from './signature-id';

/** The ceremony's own properties of a sign or reject request: the dialog fills them; the schema's other fields (comment, reason) are the form's. */
const CEREMONY = ['signatureId', 'password', 'username', 'recordVersion', 'contentHash', 'meaning'];

/** What is signed (21 CFR 11.50, 11.70): the record's current version, as the dialog read it on opening. */
interface Signed {
  number: string;
  title: string;
  version: number;
  contentHash: string;
}

function WhatIsSigned({ signed, action, type }: { signed: Signed; action: AllowedAction; type: string }) {
  const { t } = useTranslation();
  const text = useActionText(type);
  const meaning = action.meaning ?? '';
  return (
    <Table variant="vertical" withTableBorder layout="fixed" aria-label={t('signing.whatIsSigned')}>
      <Table.Tbody>
        <Table.Tr>
          <Table.Th w={170} scope="row">
            {t('signing.record')}
          </Table.Th>
          <Table.Td>
            {signed.number} {signed.title && `· ${signed.title}`}
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">{t('record.version')}</Table.Th>
          <Table.Td>{signed.version}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">{t('record.contentHash')}</Table.Th>
          <Table.Td>
            <Code style={{ wordBreak: 'break-all' }}>{signed.contentHash}</Code>
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">{t('record.step')}</Table.Th>
          <Table.Td>{text.step(action.step)}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">{t('record.meaning')}</Table.Th>
          <Table.Td data-testid="signature-meaning">
            <Text fw={700} span>
              {text.meaning(meaning)}
            </Text>
            {text.statement(meaning) && ` — ${text.statement(meaning)}`}
          </Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

function SignatureForm(props: {
  record: ProcessRecord;
  action: AllowedAction & { action: 'sign' | 'reject' };
  signed: Signed;
  versionRead: number;
  fields: Field[];
  needsUsername: boolean;
  onClose: () => void;
  /** Called when the API refuses the signature as stale: the dialog reads the record again. */
  onStale: (refusal: ApiError) => void;
}) {
  const { record, action, signed, versionRead, fields, needsUsername, onClose, onStale } = props;
  const { t } = useTranslation();
  const client = useQueryClient();
  const done = useActionDone();
  // One id per opening of the dialog: a retry (a lost answer, a second click) cannot sign twice.
  const [signatureId] = useState(newSignatureId);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const form = useSchemaForm(fields);
  const mutation = useMutation({
    mutationFn: (extra: Record<string, unknown>) =>
      postSignature(record.type, action.action, record.id, {
        signatureId,
        password,
        ...(needsUsername ? { username } : {}),
        recordVersion: signed.version,
        contentHash: signed.contentHash,
        ...(action.action === 'sign' ? { meaning: action.meaning } : {}),
        ...extra,
      }),
    onSuccess: async () => {
      onClose();
      await done();
    },
    onError: async (error) => {
      setPassword('');
      if (error instanceof ApiError && error.code === 'stale_version') return onStale(error);
      // The API decides what the ceremony needs: read again whether the username or the policy acknowledgement is missing.
      if (error instanceof ApiError && ['username_required', 'policy_not_acknowledged'].includes(error.code)) {
        await Promise.all([client.invalidateQueries({ queryKey: ME_QUERY_KEY }), client.invalidateQueries({ queryKey: POLICY_QUERY_KEY })]);
      }
    },
  });
  return (
    <form noValidate onSubmit={form.onSubmit((values) => mutation.mutate(bodyOf(fields, values)))}>
      <Stack gap="sm">
        <WhatIsSigned signed={signed} action={action} type={record.type} />
        <ChangesSinceRead recordId={record.id} versionRead={versionRead} version={signed.version} />
        <Text size="sm">{t('signing.statement')}</Text>
        {needsUsername && (
          <TextInput
            label={t('signing.username')}
            description={t('signing.usernameWhy')}
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
          />
        )}
        <PasswordInput
          label={t('signing.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <SchemaFieldList fields={fields} form={form} />
        {mutation.error && !isStale(mutation.error) && <ActionError error={mutation.error} nothingSigned />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('dialog.cancel')}
          </Button>
          <Button type="submit" color={action.action === 'reject' ? 'red' : undefined} loading={mutation.isPending}>
            {action.action === 'reject' ? t('signing.rejectButton') : t('signing.signButton')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const isStale = (error: Error) => error instanceof ApiError && error.code === 'stale_version';

const titleOf = (content: unknown) => {
  const title = (content as Record<string, unknown>).title;
  return typeof title === 'string' ? title : '';
};

/**
 * The record as it is now, read once when the dialog opens (a key of its own per opening, never
 * refreshed while open): what the dialog shows is what is signed. Should it be newer than the page
 * showed, the page is given it too.
 */
function useRecordToSign(record: ProcessRecord, opening: string) {
  const client = useQueryClient();
  return useQuery({
    queryKey: ['signing', record.id, opening],
    staleTime: Infinity,
    gcTime: 0,
    queryFn: async (): Promise<Signed> => {
      const current = await getProcessRecord(record.type, record.id);
      if (current.version !== record.version) client.setQueryData(['record', record.type, record.id], current);
      return { number: current.number, title: titleOf(current.content), version: current.version, contentHash: current.contentHash };
    },
  });
}

/**
 * The signing dialog (21 CFR 11.50, 11.200): what is signed (record number, version, content hash,
 * the meaning in words) and what changed since the version the person read (`versionRead`: the
 * version the record page showed when they opened it), the password (and the username on the
 * session's first signature, as the API says), the step's own fields from its request schema (a
 * comment; a reason to reject). The dialog signs the version it read on opening; amended while it
 * is open, the API refuses the signature as stale: the dialog says so, reads the record again and
 * shows what changed since the version read, and the person may sign the current version. Before a
 * person's first signature it asks for the e-signature policy acknowledgement. Refusals are
 * explained with the API's sentence; nothing is signed then. Mantine's Modal traps focus.
 */
export function SigningDialog({
  record,
  action,
  versionRead,
  onClose,
}: {
  record: ProcessRecord;
  action: AllowedAction & { action: 'sign' | 'reject' };
  versionRead: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const text = useActionText(record.type);
  const me = useMe();
  const policy = useQuery({ queryKey: POLICY_QUERY_KEY, queryFn: getEsignaturePolicy });
  const document = useOpenApiDocument();
  // A new reading of the record (and with it a new signature id) after a stale refusal.
  const [opening, setOpening] = useState(newSignatureId);
  const [staleRefusal, setStaleRefusal] = useState<ApiError | null>(null);
  const signed = useRecordToSign(record, opening);
  const fields = useMemo(() => {
    if (!document.data) return null;
    const schema = requestSchemaOf(document.data, actionPath(record.type, action.action));
    return schema ? fieldsOf(schema, { omit: CEREMONY }) : [];
  }, [document.data, record.type, action.action]);
  const title = `${action.action === 'reject' ? t('signing.titleReject') : t('signing.title')} · ${record.number} · ${text.meaning(action.meaning ?? '')}`;
  const failed = policy.error ?? document.error ?? me.error ?? signed.error;
  const person = me.data;
  const ready = policy.data && fields && person && signed.data;
  return (
    <Modal opened onClose={onClose} size="lg" title={title} closeButtonProps={{ 'aria-label': t('dialog.close') }}>
      {staleRefusal && (
        <Stack mb="sm">
          <ActionError error={staleRefusal} nothingSigned />
        </Stack>
      )}
      {failed ? (
        <Alert color="red" role="alert">
          {failed.message}
        </Alert>
      ) : !ready ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : policy.data.acknowledgement === null ? (
        <PolicyAcknowledgement policy={policy.data} needsUsername={person.signatureNeedsUsername} onCancel={onClose} />
      ) : (
        <SignatureForm
          key={opening}
          record={record}
          action={action}
          signed={signed.data}
          versionRead={versionRead}
          fields={fields}
          needsUsername={person.signatureNeedsUsername}
          onClose={onClose}
          onStale={(refusal) => {
            setStaleRefusal(refusal);
            setOpening(newSignatureId());
          }}
        />
      )}
    </Modal>
  );
}
