// Times and distances as the tablet shows them: 24 h clock in Asia/Shanghai, ages ("12 分钟前") that refresh
// every 10 s, metres or kilometres.
import { i18n, t } from '../../lib/i18n/i18n.svelte';

const TIME_ZONE = 'Asia/Shanghai';

class Ticker {
  now = $state(Date.now());
  constructor() {
    if (typeof setInterval !== 'undefined') setInterval(() => (this.now = Date.now()), 10_000);
  }
}
/** A clock that moves every 10 s: reading it makes a view refresh its ages. */
export const ticker = new Ticker();

export function clockTime(ms: number, withSeconds = false): string {
  return new Intl.DateTimeFormat(i18n.locale === 'en' ? 'en-GB' : 'zh-CN', {
    hour12: false,
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  }).format(ms);
}

export function ago(ms: number, now: number = ticker.now): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 10) return t('tab.justNow');
  if (s < 60) return t('tab.secondsAgo', { n: s });
  if (s < 3600) return t('tab.minutesAgo', { n: Math.floor(s / 60) });
  if (s < 86_400) return t('tab.hoursAgo', { n: Math.floor(s / 3600) });
  return t('tab.daysAgo', { n: Math.floor(s / 86_400) });
}

export function distance(meters: number): string {
  return meters < 1000 ? `${Math.round(meters)} m` : `${(meters / 1000).toFixed(1)} km`;
}
