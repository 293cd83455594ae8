// Kiosk mode: the URL flags, the rotation order, and the rotation's hold while a critical alarm is open.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ROTATE_SECONDS, nextView, parseKioskFlags } from '../../client/lib/state/kiosk';
import { KioskRotation, regionOf } from '../../client/views/wall/kiosk-rotation.svelte';

describe('kiosk flags', () => {
  it('is off without ?kiosk, and then never rotates', () => {
    expect(parseKioskFlags('')).toMatchObject({ kiosk: false, rotateSeconds: 0 });
    expect(parseKioskFlags('?rotate=10')).toMatchObject({ kiosk: false, rotateSeconds: 0 });
  });

  it('rotates every 30 s by default, by ?rotate, clamped; rotate=0 holds still', () => {
    expect(parseKioskFlags('?kiosk=1').rotateSeconds).toBe(DEFAULT_ROTATE_SECONDS);
    expect(parseKioskFlags('?kiosk=1&rotate=12').rotateSeconds).toBe(12);
    expect(parseKioskFlags('?kiosk=1&rotate=1').rotateSeconds).toBe(5);
    expect(parseKioskFlags('?kiosk=1&rotate=99999').rotateSeconds).toBe(3600);
    expect(parseKioskFlags('?kiosk=1&rotate=0').rotateSeconds).toBe(0);
    expect(parseKioskFlags('?kiosk=1&rotate=abc').rotateSeconds).toBe(0);
    expect(parseKioskFlags('?kiosk=true').kiosk).toBe(true);
    expect(parseKioskFlags('?kiosk=0').kiosk).toBe(false);
  });

  it('takes the views to rotate through, ignoring unknown ones', () => {
    expect(parseKioskFlags('?kiosk=1').views).toEqual(['district', 'border', 'kpis']);
    expect(parseKioskFlags('?kiosk=1&views=border,kpis,moon,border').views).toEqual(['border', 'kpis']);
  });

  it('cycles through the views', () => {
    const views = ['district', 'border', 'kpis'] as const;
    expect(nextView('district', views)).toBe('border');
    expect(nextView('kpis', views)).toBe('district');
    expect(nextView('kpis', ['border'])).toBe('border');
  });

  it('maps views to the map region, the KPI view keeping the last one', () => {
    expect(regionOf('district', 'pingxiang')).toBe('dongcheng');
    expect(regionOf('border', 'dongcheng')).toBe('pingxiang');
    expect(regionOf('kpis', 'dongcheng')).toBe('dongcheng');
  });
});

describe('kiosk rotation', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('advances after N seconds and not before', () => {
    const rotation = new KioskRotation(parseKioskFlags('?kiosk=1&rotate=10'));
    expect(rotation.view).toBe('district');
    rotation.arm(false);
    vi.advanceTimersByTime(9_999);
    expect(rotation.view).toBe('district');
    vi.advanceTimersByTime(1);
    expect(rotation.view).toBe('border');
  });

  it('arms each step from the view shown then (district → border → kpis → district)', () => {
    // Wall re-arms from an effect on every view change (the e2e rotates through all three views); the
    // server build of Svelte that unit tests load runs no effects, so the steps are armed here by hand.
    const rotation = new KioskRotation(parseKioskFlags('?kiosk=1&rotate=10'));
    const seen = [rotation.view];
    for (let i = 0; i < 3; i++) {
      rotation.arm(false);
      vi.advanceTimersByTime(10_000);
      seen.push(rotation.view);
    }
    expect(seen).toEqual(['district', 'border', 'kpis', 'district']);
  });

  it('holds while a critical alarm is open, and leaves the KPI view at once', () => {
    const rotation = new KioskRotation(parseKioskFlags('?kiosk=1&rotate=10&views=kpis,border'));
    expect(rotation.view).toBe('kpis');
    expect(rotation.arm(true)).toBeUndefined();
    expect(rotation.view).toBe('border');
    vi.advanceTimersByTime(60_000);
    expect(rotation.view).toBe('border');
  });

  it('a cancelled step does not fire', () => {
    const rotation = new KioskRotation(parseKioskFlags('?kiosk=1&rotate=10'));
    const cancel = rotation.arm(false);
    cancel?.();
    vi.advanceTimersByTime(20_000);
    expect(rotation.view).toBe('district');
  });

  it('does not rotate outside kiosk mode', () => {
    const rotation = new KioskRotation(parseKioskFlags('?rotate=10'));
    expect(rotation.rotating).toBe(false);
    expect(rotation.arm(false)).toBeUndefined();
  });
});
