import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'attestflow.language';

function initialLanguage(): LanguageCode {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Switches the interface language, remembers it on this browser, and keeps <html lang> in step. */
export function setLanguage(code: LanguageCode): void {
  window.localStorage.setItem(STORAGE_KEY, code);
  void i18n.changeLanguage(code); // resources are bundled: the change is synchronous in effect
}

i18n.on('languageChanged', (code) => document.documentElement.setAttribute('lang', code));

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes
});
document.documentElement.setAttribute('lang', i18n.language);

export default i18n;
