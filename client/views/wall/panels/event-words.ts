// How the feed names an event type (alert words where they exist, the feed's own for the rest) and where
// on the map an event happened (its own lon/lat, else its unit's last position).
import type { DomainEvent, UnitState } from '../../../../server/contract';
import { word } from '../../../lib/i18n/i18n.svelte';
import { zhCN } from '../../../lib/i18n/messages';

export function eventWord(type: string): string {
  if (`wall.event.${type}` in zhCN) return word('wall.event', type);
  return word('alert', type);
}

export function eventPlace(
  event: DomainEvent,
  unitOf: (id: string) => UnitState | undefined,
): [number, number] | null {
  const { lon, lat } = event.data;
  if (typeof lon === 'number' && typeof lat === 'number') return [lon, lat];
  const patrol = event.data.patrol as { lon?: unknown; lat?: unknown } | undefined;
  if (patrol && typeof patrol.lon === 'number' && typeof patrol.lat === 'number')
    return [patrol.lon, patrol.lat];
  const unit = event.unitId ? unitOf(event.unitId) : undefined;
  return unit ? [unit.lon, unit.lat] : null;
}
