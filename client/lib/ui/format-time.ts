// Times on the wall: 24-hour clock time and "n minutes ago" beside it (UX.md, "Both").
import { t } from '../i18n/i18n.svelte';

export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString('zh-CN', { hour12: false });
}

/** "刚刚" under a minute, else whole minutes ("12 分钟前"). */
export function ago(at: number, now: number): string {
  const minutes = Math.floor((now - at) / 60_000);
  return minutes < 1 ? t('mapAlarmJustNow') : t('mapAlarmMinutesAgo', { minutes });
}
