// The current locale (zh-CN by default, remembered per browser) and t(key) for the UI's words.
import { en, zhCN, type MessageKey } from './messages';

export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'lianfang.locale';

function initialLocale(): Locale {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'zh-CN';
}

class I18n {
  locale = $state<Locale>(initialLocale());

  t = (key: MessageKey, values: Record<string, string | number> = {}): string => {
    const text: string = (this.locale === 'en' ? en : zhCN)[key];
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
  };

  toggle(): void {
    this.locale = this.locale === 'en' ? 'zh-CN' : 'en';
    localStorage.setItem(STORAGE_KEY, this.locale);
    document.documentElement.lang = this.locale;
  }
}

export const i18n = new I18n();
export const t = i18n.t;

/** A domain word from data, e.g. word('status', incident.status); the raw value when the list lacks it. */
export function word(group: string, value: string): string {
  const key = `${group}.${value}`;
  return key in zhCN ? t(key as MessageKey) : value;
}
