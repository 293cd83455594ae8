// The committed alarm sound is exactly what scripts/make-alarm-sound.ts makes, and a playable looping WAV.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALARM_SOUND_PATH, alarmWav, SAMPLE_RATE } from '../../scripts/make-alarm-sound';

describe('alarm sound asset', () => {
  it('is byte for byte the script’s output (regenerate with npx tsx scripts/make-alarm-sound.ts)', () => {
    expect(Buffer.from(alarmWav()).equals(fs.readFileSync(ALARM_SOUND_PATH))).toBe(true);
  });

  it('is 16-bit mono PCM of 1.6 s, small, and starts and ends on silence so the loop has no click', () => {
    const view = Buffer.from(alarmWav());
    expect(view.toString('ascii', 0, 4)).toBe('RIFF');
    expect(view.toString('ascii', 8, 12)).toBe('WAVE');
    expect(view.readUInt16LE(22)).toBe(1);
    expect(view.readUInt32LE(24)).toBe(SAMPLE_RATE);
    expect(view.readUInt16LE(34)).toBe(16);
    const samples = view.readUInt32LE(40) / 2;
    expect(samples / SAMPLE_RATE).toBeCloseTo(1.6, 6);
    expect(view.length).toBeLessThan(60_000);
    expect(view.readInt16LE(44)).toBe(0);
    expect(Math.abs(view.readInt16LE(view.length - 2))).toBeLessThan(50);
    let peak = 0;
    for (let at = 44; at < view.length; at += 2) peak = Math.max(peak, Math.abs(view.readInt16LE(at)));
    expect(peak).toBeGreaterThan(15_000);
  });
});
