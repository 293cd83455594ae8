// What the tablet puts in the outbox is what the server's contract takes: reports, task moves and SOS bodies
// parse with the server's own zod schemas (once the outbox adds its key and the photo id), and check-ins
// have the shape the check-in route announces.
import { describe, expect, it } from 'vitest';
import { IncidentTransition, ReportInput, SosInput } from '../../server/contract';
import { bodyWithPhoto } from '../../client/lib/offline/delivery';
import type { OutboxItem } from '../../client/lib/offline/outbox-item';
import { checkinDraft, reportDraft, sosDraft, transitionDraft } from '../../client/views/tablet/drafts';

const PHOTO_ID = 'ab'.repeat(32);
const photo = { bytes: new ArrayBuffer(8), contentType: 'image/jpeg' };

/** The draft as the outbox stores and sends it: key added to idempotent bodies, photo id where it goes. */
function asSent(
  draft: ReturnType<typeof reportDraft>,
  photoId: string | null = null,
): Record<string, unknown> {
  const key = 'tab-test-0001';
  const item = {
    ...draft,
    body: draft.idempotent ? { ...draft.body, idempotencyKey: key } : draft.body,
    photoInto: draft.photoInto ?? 'photoId',
  } as OutboxItem;
  return bodyWithPhoto(item, photoId);
}

describe('outbox drafts', () => {
  it('makes anomaly and normal reports the server accepts, photo id in its field', () => {
    const anomaly = reportDraft({
      segmentId: 'px-seg-01',
      status: 'anomaly',
      anomalyType: 'smuggling',
      place: { lon: 106.6957, lat: 22.2734 },
      note: '  两人背货  ',
      photo,
    });
    expect(anomaly).toMatchObject({
      kind: 'report',
      path: '/api/reports',
      ref: 'px-seg-01',
      idempotent: true,
    });
    expect(ReportInput.parse(asSent(anomaly, PHOTO_ID))).toEqual({
      segmentId: 'px-seg-01',
      status: 'anomaly',
      anomalyType: 'smuggling',
      lon: 106.6957,
      lat: 22.2734,
      note: '两人背货',
      photoId: PHOTO_ID,
      idempotencyKey: 'tab-test-0001',
    });
    const normal = reportDraft({
      segmentId: 'px-seg-01',
      status: 'normal',
      anomalyType: 'smuggling', // left over from an earlier choice: must not be sent with "normal"
      place: { lon: 106.6957, lat: 22.2734 },
      note: '',
      photo: null,
    });
    expect(ReportInput.safeParse(asSent(normal)).success).toBe(true);
    expect(asSent(normal)).not.toHaveProperty('anomalyType');
    expect(asSent(normal)).not.toHaveProperty('note');
  });

  it('puts a resolution photo in the note and sends no key for task moves', () => {
    const move = transitionDraft('01JDTASK/1', 'resolved', '护栏已加固', photo);
    expect(move.path).toBe('/api/incidents/01JDTASK%2F1/transitions');
    expect(move.idempotent).toBe(false);
    const body = asSent(move, PHOTO_ID);
    expect(IncidentTransition.parse(body)).toEqual({
      to: 'resolved',
      note: `护栏已加固\n[photo:${PHOTO_ID}]`,
    });
    expect(asSent(transitionDraft('x', 'in_progress', '', null))).toEqual({ to: 'in_progress', note: '' });
  });

  it('sends SOS with or without a position, as the SOS route takes it', () => {
    const here = asSent(sosDraft({ lon: 106.7, lat: 22.27, accuracyMeters: 6 }, '队员受伤'));
    expect(SosInput.parse(here)).toEqual({
      lon: 106.7,
      lat: 22.27,
      accuracyMeters: 6,
      note: '队员受伤',
      idempotencyKey: 'tab-test-0001',
    });
    expect(SosInput.parse(asSent(sosDraft(null, '')))).toEqual({ idempotencyKey: 'tab-test-0001' });
  });

  it('checks in at a post with {lon?, lat?, note?, idempotencyKey}', () => {
    const draft = checkinDraft('px-post-001', { lon: 106.703, lat: 22.2673 });
    expect(draft).toMatchObject({
      kind: 'checkin',
      path: '/api/posts/px-post-001/checkins',
      ref: 'px-post-001',
    });
    expect(asSent(draft)).toEqual({ lon: 106.703, lat: 22.2673, idempotencyKey: 'tab-test-0001' });
    expect(asSent(checkinDraft('px-post-002', null, ' 户长不在 '))).toEqual({
      note: '户长不在',
      idempotencyKey: 'tab-test-0001',
    });
  });
});
