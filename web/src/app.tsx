import { Center, createTheme, Loader, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { api } from './api/client';
import { AppLayout } from './layout/app-layout';
import { CreateIndexPage } from './pages/create/create-index-page';
import { CreateRecordPage } from './pages/create/create-record-page';
import { DocumentPage } from './pages/documents/document-page';
import { DocumentsPage } from './pages/documents/documents-page';
import { InboxPage } from './pages/inbox/inbox-page';
import { PlaceholderPage } from './pages/placeholder/placeholder-page';
import { RecordPage } from './pages/record/record-page';
import { ChangePasswordPage } from './pages/sign-in/change-password-page';
import { SignInPage } from './pages/sign-in/sign-in-page';
import { IdleWarning } from './session/idle-warning';
import './session/last-request';
import { hasAnyRole, isSigner, useMe, useSessionChanged } from './session/session';

/** The auditor's pages load when first opened: people who never open them do not download them. */
const AuditorPages = lazy(() => import('./pages/auditor/auditor-pages').then((m) => ({ default: m.AuditorPages })));

/** Loaded when an administrator opens it: nobody else downloads its code. */
const AdminPage = lazy(() => import('./pages/admin/admin-page').then((module) => ({ default: module.AdminPage })));

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } } });
/** Chinese text must render everywhere: CJK faces right after the Latin UI faces. */
const FONT_STACK =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
// Primary shade 8: WCAG 2.1 AA contrast (4.5:1) for white text on buttons and for links.
const theme = createTheme({ fontFamily: FONT_STACK, headings: { fontFamily: FONT_STACK }, primaryColor: 'indigo', primaryShade: 8 });

function SignedInApp() {
  const { t } = useTranslation();
  const me = useMe();
  const sessionChanged = useSessionChanged();
  const [notice, setNotice] = useState<string>();
  const signOut = useCallback(() => {
    void api.POST('/api/auth/logout').finally(() => sessionChanged(null));
  }, [sessionChanged]);
  const expired = useCallback(() => {
    setNotice(t('idle.ended'));
    sessionChanged(null);
  }, [sessionChanged, t]);

  if (me.isPending)
    return (
      <Center h="100vh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  if (!me.data) return <SignInPage notice={notice} />;
  if (me.data.pending.passwordChange) return <ChangePasswordPage />;
  const home = isSigner(me.data) ? '/inbox' : hasAnyRole(me.data, ['auditor']) ? '/auditor' : '/records';
  return (
    <AppLayout me={me.data} onSignOut={signOut}>
      <IdleWarning idleSeconds={me.data.sessionIdleSeconds} onSignOut={signOut} onExpired={expired} />
      <Routes>
        <Route path="/" element={<Navigate to={home} replace />} />
        <Route path="/inbox" element={<InboxPage />} />
        <Route path="/records" element={<PlaceholderPage titleKey="nav.records" />} />
        <Route path="/records/:type/:id" element={<RecordPage />} />
        <Route path="/documents" element={<DocumentsPage />} />
        <Route path="/documents/:number" element={<DocumentPage />} />
        <Route path="/create" element={<CreateIndexPage />} />
        <Route path="/create/:route" element={<CreateRecordPage />} />
        <Route
          path="/auditor/*"
          element={
            <Suspense fallback={<Loader aria-label={t('app.loading')} />}>
              <AuditorPages />
            </Suspense>
          }
        />
        <Route
          path="/admin/:tab?"
          element={
            <Suspense fallback={<Loader aria-label={t('app.loading')} />}>
              <AdminPage />
            </Suspense>
          }
        />
        <Route path="*" element={<Navigate to={home} replace />} />
      </Routes>
    </AppLayout>
  );
}

export function App() {
  return (
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SignedInApp />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
