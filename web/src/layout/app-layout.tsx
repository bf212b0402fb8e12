import { AppShell, Badge, Burger, Button, Group, NativeSelect, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { LANGUAGES, setLanguage, type LanguageCode } from '../i18n';
import { OpenAlertsBadge } from '../pages/admin/open-alerts-badge';
import { useInboxCount } from '../pages/inbox/inbox-queries';
import { hasAnyRole, isSigner, type Me } from '../session/session';

interface NavItem {
  to: string;
  labelKey: string;
  shownTo: (me: Me) => boolean;
}

/** Roles that create records of some process (each process module's createRoles); the API checks each creation again. */
const CREATOR_ROLES = ['initiator', 'qa', 'mrb', 'document_controller'];

/** What each person sees in the navigation; the API checks every request again. */
const NAV: NavItem[] = [
  { to: '/inbox', labelKey: 'nav.inbox', shownTo: isSigner },
  { to: '/records', labelKey: 'nav.records', shownTo: () => true },
  { to: '/documents', labelKey: 'nav.documents', shownTo: () => true },
  { to: '/create', labelKey: 'nav.create', shownTo: (me) => hasAnyRole(me, CREATOR_ROLES) },
  { to: '/auditor', labelKey: 'nav.auditor', shownTo: (me) => hasAnyRole(me, ['auditor', 'qa', 'administrator']) },
  { to: '/admin', labelKey: 'nav.admin', shownTo: (me) => hasAnyRole(me, ['administrator']) },
];

function InboxCount() {
  const count = useInboxCount();
  if (count.data === undefined) return null;
  return (
    <Badge size="sm" variant="filled" circle={count.data < 10}>
      {count.data}
    </Badge>
  );
}

export function AppLayout({ me, onSignOut, children }: { me: Me; onSignOut: () => void; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [opened, { toggle }] = useDisclosure();
  const location = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.label')} />
            <Title order={2} size="h4">
              {t('app.name')}
            </Title>
          </Group>
          <Group wrap="nowrap">
            <Text size="sm" visibleFrom="sm">
              {t('header.signedInAs', { name: me.printedName })}
            </Text>
            <NativeSelect
              aria-label={t('header.language')}
              size="xs"
              w={120}
              data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
              value={i18n.language}
              onChange={(event) => setLanguage(event.currentTarget.value as LanguageCode)}
            />
            <Button size="xs" variant="default" onClick={onSignOut}>
              {t('header.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        {NAV.filter((item) => item.shownTo(me)).map((item) => (
          <NavLink
            key={item.to}
            component={RouterLink}
            to={item.to}
            label={t(item.labelKey)}
            active={location.pathname.startsWith(item.to)}
            rightSection={item.to === '/inbox' ? <InboxCount /> : item.to === '/admin' ? <OpenAlertsBadge /> : undefined}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main">{children}</AppShell.Main>
    </AppShell>
  );
}
