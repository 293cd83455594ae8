// Domain events the device adapters raise (device.unknown, sos, sos.cancelled) and the guards they share.
import type { Logger } from 'pino';
import type { DomainEvent } from '../contract';
import { newId } from '../domain/ids';
import type { UnitRecord } from '../store/store';

export type DeviceSource = 'osmand' | 'owntracks' | 'cot';

/** The part of pino the adapters log through. */
export type IngestLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** Extra facts about the sender when no registered unit can be named (e.g. an SOS from an unknown ATAK uid). */
export interface SenderDetails {
  deviceId?: string;
  callsign?: string | null;
}

type UnitRef = Pick<UnitRecord, 'id' | 'callsign' | 'deviceId'>;

/** A device id that is not in the registry tried to report; for admins to register it or look into it. */
export function deviceUnknownEvent(
  deviceId: string,
  source: DeviceSource,
  now: number,
  data: Record<string, unknown> = {},
): DomainEvent {
  return {
    id: newId(now),
    type: 'device.unknown',
    t: now,
    unitId: null,
    message: `unknown device ${deviceId} (${source})`,
    data: { ...data, deviceId, source },
  };
}

function senderName(unit: UnitRef | null, details: SenderDetails): string {
  return unit?.callsign ?? details.callsign ?? details.deviceId ?? 'an unknown device';
}

/** An SOS from a device; `unit` is null only when the sender is not registered (CoT 911 from any ATAK). */
export function sosEvent(
  unit: UnitRef | null,
  source: DeviceSource,
  lon: number | null,
  lat: number | null,
  now: number,
  details: SenderDetails = {},
): DomainEvent {
  return {
    id: newId(now),
    type: 'sos',
    t: now,
    unitId: unit?.id ?? null,
    message: `SOS from ${senderName(unit, details)} (${source})`,
    data: { source, lon, lat, deviceId: unit?.deviceId ?? details.deviceId ?? null },
  };
}

/** The sender cancelled its SOS (CoT b-a-o-can). */
export function sosCancelledEvent(
  unit: UnitRef | null,
  source: DeviceSource,
  now: number,
  details: SenderDetails = {},
): DomainEvent {
  return {
    id: newId(now),
    type: 'sos.cancelled',
    t: now,
    unitId: unit?.id ?? null,
    message: `SOS cancelled by ${senderName(unit, details)} (${source})`,
    data: { source, deviceId: unit?.deviceId ?? details.deviceId ?? null },
  };
}

export interface Throttle {
  /** True at most once per interval for a key; records the pass. */
  allow(key: string, now: number): boolean;
}

/** Once per key per interval, e.g. one device.unknown event a minute per device id; memory bounded. */
export function createThrottle(intervalMs: number, maxKeys = 10_000): Throttle {
  const last = new Map<string, number>();
  return {
    allow(key, now) {
      const previous = last.get(key);
      if (previous !== undefined && now - previous < intervalMs) return false;
      if (last.size >= maxKeys) {
        for (const [k, t] of last) if (now - t >= intervalMs) last.delete(k);
        // Still full of fresh keys: forget the oldest rather than grow without bound.
        if (last.size >= maxKeys) last.delete(last.keys().next().value as string);
      }
      last.delete(key);
      last.set(key, now);
      return true;
    },
  };
}

/**
 * How far ahead of the server clock a fix may be. A fix from the future would hold the unit still: every
 * later real fix would be older and so ignored for the live state. Typical cause: local time sent as UTC.
 */
export const MAX_FUTURE_MS = 10 * 60_000;

/** A message naming the problem when the fix time is implausible, else null. */
export function checkFixTime(t: number, now: number): string | null {
  if (!Number.isFinite(t) || t < 0) return 'timestamp: not a valid time';
  if (t > now + MAX_FUTURE_MS)
    return `timestamp: ${new Date(t).toISOString()} is more than ${MAX_FUTURE_MS / 60_000} min ahead of the server clock`;
  return null;
}
