// CoT framing over arbitrary chunk boundaries and the hardened event parser (PROTOCOLS.md c.3).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCotFramer } from '../../server/ingest/cot-frame';
import {
  affiliationOf,
  classifyCot,
  decodeXmlText,
  emergencySenderUid,
  parseCotEvent,
  type CotEvent,
} from '../../server/ingest/cot-parse';

const fixture = (name: string): string =>
  fs.readFileSync(new URL(`../fixtures/protocols/${name}`, import.meta.url), 'utf8');
const PLI = fixture('cot-atak-pli.xml');

function parsed(xml: string): CotEvent {
  const result = parseCotEvent(xml);
  if (!result.ok) throw new Error(`expected an event, got ${result.reason}: ${result.message}`);
  return result.event;
}

function chunks(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe('createCotFramer', () => {
  const limits = { maxEventBytes: 64 * 1024, maxBufferBytes: 1024 * 1024 };

  it.each([1, 2, 3, 7, 8, 9, 64])('reassembles events split into %i-byte chunks', (size) => {
    const framer = createCotFramer(limits);
    const stream = PLI + PLI.replace('RANGER-1', '游骑兵-2') + '\n';
    const events = chunks(stream, size).flatMap((chunk) => framer.push(chunk).events);
    expect(events).toEqual([PLI, '' + PLI.replace('RANGER-1', '游骑兵-2')]);
  });

  it('returns several events from one chunk, whitespace between them kept for the parser to trim', () => {
    const result = createCotFramer(limits).push(Buffer.from(`${PLI}\n\n${PLI}  ${PLI}`));
    expect(result.events).toEqual([PLI, `\n\n${PLI}`, `  ${PLI}`]);
    expect(result.overflow).toBe(false);
  });

  it('drops an oversize event, keeps memory bounded while skipping it, and carries on', () => {
    const framer = createCotFramer({ maxEventBytes: 1000, maxBufferBytes: 100_000 });
    const big = `<event uid="x" type="a-f-G" time="2026-01-01T00:00:00Z"><detail><remarks>${'x'.repeat(5000)}</remarks></detail></event>`;
    const results = chunks(big + PLI, 700).map((chunk) => framer.push(chunk));
    expect(results.flatMap((r) => r.oversize)).toEqual([Buffer.byteLength(big)]);
    expect(results.flatMap((r) => r.events)).toEqual([PLI]);
    expect(results.some((r) => r.overflow)).toBe(false);
  });

  it('signals overflow after maxBufferBytes without a complete event', () => {
    const framer = createCotFramer({ maxEventBytes: 1000, maxBufferBytes: 10_000 });
    const overflowAt = chunks('<event>' + 'y'.repeat(20_000), 1000).findIndex(
      (chunk) => framer.push(chunk).overflow,
    );
    expect(overflowAt).toBe(10);
  });
});

describe('parseCotEvent', () => {
  it('parses the ATAK PLI of PROTOCOLS.md exactly', () => {
    expect(parsed(PLI)).toEqual({
      uid: 'ANDROID-589520ccfcd20f01',
      type: 'a-f-G-U-C',
      how: 'm-g',
      time: Date.parse('2026-01-01T00:00:00.000Z'),
      start: Date.parse('2026-01-01T00:00:00.000Z'),
      staleAt: Date.parse('2026-01-01T00:05:00.000Z'),
      ttlMs: 300_000,
      lat: 40.79,
      lon: -119.21,
      haeMeters: 1200,
      ceMeters: 9.9,
      speedMps: 0,
      courseDeg: 0,
      callsign: 'RANGER-1',
      group: { name: 'Cyan', role: 'Team Member' },
      battery: 77,
      link: null,
      emergency: null,
    });
  });

  it('reads 9999999 sentinels as unknown', () => {
    const event = parsed(fixture('cot-hostile-track.xml'));
    expect(event).toMatchObject({ lat: 40.8, lon: -119.2, ceMeters: null, haeMeters: null, callsign: 'H.1' });
    const noFix = parsed(PLI.replace('lat="40.79" lon="-119.21"', 'lat="9999999.0" lon="9999999.0"'));
    expect(noFix).toMatchObject({ lat: null, lon: null });
    const ceUnknown = parsed(PLI.replace('ce="9.9"', 'ce="999999"'));
    expect(ceUnknown.ceMeters).toBeNull();
  });

  it('decodes predefined entities and character references in attributes, nothing else', () => {
    const event = parsed(PLI.replace('callsign="RANGER-1"', 'callsign="R&amp;D &#x4E2D;&#25991; &foo;"'));
    expect(event.callsign).toBe('R&D 中文 &foo;');
    expect(decodeXmlText('&amp;lt;')).toBe('&lt;');
  });

  it('refuses a DTD: the billion-laughs payload is dropped without expansion', () => {
    const started = performance.now();
    const result = parseCotEvent(fixture('cot-billion-laughs.xml'));
    expect(result).toEqual({
      ok: false,
      reason: 'dtd',
      message: 'DTDs and entity declarations are not accepted',
    });
    expect(performance.now() - started).toBeLessThan(50);
    expect(parseCotEvent('<!ENTITY x "y"><event/>')).toMatchObject({ ok: false, reason: 'dtd' });
  });

  it('drops malformed XML and invalid values with a message', () => {
    expect(parseCotEvent('<event uid="a" type="a-f-G"><point lat="1"></event>')).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(parseCotEvent('<other/>')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseCotEvent('<event uid="a" type="a-f-G" time="x"/><event/>')).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(parseCotEvent(PLI.replace('lat="40.79"', 'lat="95"'))).toEqual({
      ok: false,
      reason: 'invalid',
      message: 'point@lat: 95 is outside [-90, 90]',
    });
    expect(parseCotEvent(PLI.replace('lon="-119.21"', 'lon="west"'))).toMatchObject({
      reason: 'invalid',
      message: 'lon: "west" is not a number',
    });
    expect(parseCotEvent(PLI.replace(/ time="[^"]*"/, ''))).toMatchObject({
      message: 'event@time: required',
    });
    expect(parseCotEvent(PLI.replace('uid="ANDROID-589520ccfcd20f01"', ''))).toMatchObject({
      reason: 'invalid',
    });
  });

  it('reads ATAK 911 and its cancel, and whose emergency it is', () => {
    const sos = parsed(fixture('cot-atak-911.xml'));
    expect(classifyCot(sos)).toBe('sos');
    expect(sos.link).toEqual({ uid: 'ANDROID-589520ccfcd20f01', type: 'a-f-G-U-C', relation: 'p-p' });
    expect(emergencySenderUid(sos)).toBe('ANDROID-589520ccfcd20f01');
    expect(emergencySenderUid({ uid: 'ANDROID-77-9-1-1', link: null })).toBe('ANDROID-77');
    const cancel = parsed(fixture('cot-atak-911-cancel.xml'));
    expect(classifyCot(cancel)).toBe('sos-cancel');
    expect(cancel.emergency).toEqual({ type: null, cancel: true });
  });
});

describe('classifyCot and affiliationOf', () => {
  it.each([
    ['a-f-G-U-C', 'f', 'position'],
    ['a-a-G', 'a', 'position'],
    ['a-h-G', 'h', 'track'],
    ['a-u-G', 'u', 'track'],
    ['a-s-G-U', 's', 'track'],
    ['a-j-A', 'j', 'track'],
    ['a-k-G', 'k', 'track'],
    ['a-n-G', 'n', 'track'],
    ['t-x-c-t', null, 'ping'],
    ['b-t-f', null, 'other'],
    ['u-d-f', null, 'other'],
  ])('%s → affiliation %s, %s', (type, affiliation, kind) => {
    expect(affiliationOf(type)).toBe(affiliation);
    expect(classifyCot({ type, emergency: null })).toBe(kind);
  });
});
