// Times and durations as the wall says them: 24-hour clock times, "12 分钟前" ages, "1 小时 5 分" spans.
import { t } from '../i18n/i18n.svelte';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function clockTime(t0: number | null, withSeconds = false): string {
  if (t0 === null) return '—';
  return new Date(t0).toLocaleTimeString('zh-CN', {
    hour12: false,
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });
}

/** "3月5日 14:02" for another day, "14:02" for today. */
export function dateTime(t0: number, now = Date.now()): string {
  const d = new Date(t0);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay
    ? clockTime(t0)
    : `${t('wall.dateShort', { month: d.getMonth() + 1, day: d.getDate() })} ${clockTime(t0)}`;
}

/** A span in the largest two units that matter: "2 天 3 小时", "1 小时 5 分", "4 分", "<1 分". */
export function span(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return t('wall.spanUnderMinute');
  if (abs < HOUR) return t('wall.spanMinutes', { m: Math.floor(abs / MINUTE) });
  if (abs < DAY)
    return t('wall.spanHours', { h: Math.floor(abs / HOUR), m: Math.floor((abs % HOUR) / MINUTE) });
  return t('wall.spanDays', { d: Math.floor(abs / DAY), h: Math.floor((abs % DAY) / HOUR) });
}

/** "12 分钟前"-style age of a past instant. */
export function ago(t0: number, now: number): string {
  return t('wall.ago', { span: span(now - t0) });
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(rate >= 0.995 || rate === 0 ? 0 : 1)}%`;
}
