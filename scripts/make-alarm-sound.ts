// Writes the wall's alarm sound (client/public/sounds/alarm.wav): a hi–lo two-tone, synthesised here so the
// asset is ours, reproducible byte for byte (`--check` verifies it) and served from our own host.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ALARM_SOUND_PATH = path.join(ROOT, 'client', 'public', 'sounds', 'alarm.wav');

export const SAMPLE_RATE = 16_000;
/** Hi, lo, hi, lo: 1.6 s that loops without a seam (each tone starts and ends on silence). */
const TONES_HZ = [960, 700, 960, 700];
const TONE_SECONDS = 0.4;
const FADE_SECONDS = 0.008;
const AMPLITUDE = 0.9;

function sample(frequency: number, t: number): number {
  const phase = 2 * Math.PI * frequency * t;
  // A touch of the third harmonic makes it cut through a noisy room without the harshness of a square wave.
  return Math.sin(phase) + 0.25 * Math.sin(3 * phase);
}

/** The WAV file's bytes: RIFF, 16-bit little-endian mono PCM. */
export function alarmWav(): Uint8Array {
  const perTone = Math.round(TONE_SECONDS * SAMPLE_RATE);
  const fade = Math.round(FADE_SECONDS * SAMPLE_RATE);
  const samples = perTone * TONES_HZ.length;
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + samples * 2, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(SAMPLE_RATE, 24);
  buffer.writeUInt32LE(SAMPLE_RATE * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(samples * 2, 40);
  TONES_HZ.forEach((frequency, tone) => {
    for (let i = 0; i < perTone; i++) {
      const envelope = Math.min(1, i / fade, (perTone - 1 - i) / fade);
      const value = (AMPLITUDE / 1.25) * envelope * sample(frequency, i / SAMPLE_RATE);
      buffer.writeInt16LE(Math.round(value * 32_767), 44 + (tone * perTone + i) * 2);
    }
  });
  return new Uint8Array(buffer);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const bytes = alarmWav();
  if (process.argv.includes('--check')) {
    const same =
      fs.existsSync(ALARM_SOUND_PATH) && Buffer.from(bytes).equals(fs.readFileSync(ALARM_SOUND_PATH));
    process.stdout.write(
      same ? 'alarm.wav is up to date\n' : 'alarm.wav differs: run scripts/make-alarm-sound.ts\n',
    );
    process.exitCode = same ? 0 : 1;
  } else {
    fs.mkdirSync(path.dirname(ALARM_SOUND_PATH), { recursive: true });
    fs.writeFileSync(ALARM_SOUND_PATH, bytes);
    process.stdout.write(`wrote ${path.relative(ROOT, ALARM_SOUND_PATH)} (${bytes.length} bytes)\n`);
  }
}
