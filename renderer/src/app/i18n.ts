import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zhCN } from './locales/zh-CN';
import { en } from './locales/en';
import { commandMessages } from '../commands/locales';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'workstation.language';

function savedLanguage(): Language {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return (LANGUAGES as readonly string[]).includes(saved ?? '') ? (saved as Language) : 'zh-CN';
}

export function setupI18n(language: Language = savedLanguage()): typeof i18next {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources: {
        'zh-CN': { translation: { ...zhCN, commands: commandMessages['zh-CN'] } },
        en: { translation: { ...en, commands: commandMessages.en } },
      },
      lng: language,
      fallbackLng: 'zh-CN',
      interpolation: { escapeValue: false },
      initAsync: false,
    });
  }
  document.documentElement.lang = i18next.language;
  return i18next;
}

export function changeLanguage(language: Language): void {
  void i18next.changeLanguage(language);
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}
