import { Button, Group, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router';
import { CertificatesPage } from './certificates-page';
import { DossierPage } from './dossier-page';
import { DossierRequestPage } from './dossier-request-page';
import { RecordSearchPage } from './record-search-page';
import { VerifyPage } from './verify-page';

const SECTIONS = [
  { to: '/auditor', end: true, labelKey: 'auditor.nav.search' },
  { to: '/auditor/dossiers', end: false, labelKey: 'auditor.nav.dossiers' },
  { to: '/auditor/verify', end: false, labelKey: 'auditor.nav.verify' },
  { to: '/auditor/certificates', end: false, labelKey: 'auditor.nav.certificates' },
] as const;

/**
 * The auditor's part of the app (read-only: nothing here changes a record): search records, request
 * and download dossiers, verify a PDF, get the CA and CRL. Mounted at /auditor/*.
 */
export function AuditorPages() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1}>{t('nav.auditor')}</Title>
      <Group component="nav" aria-label={t('auditor.nav.label')} gap="xs">
        {SECTIONS.map((section) => (
          <NavLink key={section.to} to={section.to} end={section.end} style={{ textDecoration: 'none' }}>
            {({ isActive }) => (
              <Button component="span" variant={isActive ? 'filled' : 'default'} size="sm">
                {t(section.labelKey)}
              </Button>
            )}
          </NavLink>
        ))}
      </Group>
      <Routes>
        <Route index element={<RecordSearchPage />} />
        <Route path="dossiers" element={<DossierRequestPage />} />
        <Route path="dossiers/:id" element={<DossierPage />} />
        <Route path="verify" element={<VerifyPage />} />
        <Route path="certificates" element={<CertificatesPage />} />
      </Routes>
    </Stack>
  );
}
