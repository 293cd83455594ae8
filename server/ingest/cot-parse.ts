// Pure Cursor-on-Target XML parser (PROTOCOLS.md c.3): one `<event>` → a typed CotEvent, DTDs and entities off.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseIsoTime, TimestampError } from './osmand-parse-time';

export interface CotEvent {
  uid: string;
  type: string;
  how: string | null;
  /** `time`, epoch ms. */
  time: number;
  start: number | null;
  /** `stale`, epoch ms: the sender's own time-to-live for this item. */
  staleAt: number | null;
  /** staleAt − time, ms. */
  ttlMs: number | null;
  /** null when the point is absent or written with the 9999999 / 999… "unknown" sentinels. */
  lon: number | null;
  lat: number | null;
  haeMeters: number | null;
  /** `point@ce`, circular error (m) → accuracyMeters. */
  ceMeters: number | null;
  speedMps: number | null;
  courseDeg: number | null;
  callsign: string | null;
  group: { name: string | null; role: string | null } | null;
  battery: number | null;
  /** The first `link`, preferring relation p-p (the parent: for an emergency, the sender's own uid). */
  link: { uid: string; type: string | null; relation: string | null } | null;
  emergency: { type: string | null; cancel: boolean } | null;
}

export type CotDropReason = 'dtd' | 'malformed' | 'invalid';
export type CotParseResult =
  { ok: true; event: CotEvent } | { ok: false; reason: CotDropReason; message: string };

export type CotKind = 'position' | 'track' | 'sos' | 'sos-cancel' | 'ping' | 'other';

type Node = Record<string, unknown>;

const DTD = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;
const DECLARATION = /^\s*(<\?xml[^>]*\?>)?\s*/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const SENTINEL = 999_999;
const MAX_UID = 256;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // No DTD, no entity expansion: a billion-laughs payload stays text (and is refused before this anyway).
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'link',
  maxNestedTags: 32,
});

class CotInputError extends Error {}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined XML entities and character references, one pass, nothing recursive. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
    if (!name.startsWith('#')) return PREDEFINED[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function child(node: unknown, name: string): Node | null {
  if (typeof node !== 'object' || node === null) return null;
  const value = (node as Node)[name];
  if (Array.isArray(value)) return (value[0] as Node | undefined) ?? null;
  return typeof value === 'object' && value !== null ? (value as Node) : null;
}

function text(node: Node | null, attribute: string): string | null {
  const value = node?.[`@_${attribute}`];
  return typeof value === 'string' && value.trim() !== '' ? decodeXmlText(value.trim()) : null;
}

function number(node: Node | null, attribute: string): number | null {
  const raw = text(node, attribute);
  if (raw === null) return null;
  if (!NUMBER.test(raw)) throw new CotInputError(`${attribute}: "${raw}" is not a number`);
  const value = Number(raw);
  return Math.abs(value) >= SENTINEL ? null : value;
}

function time(node: Node, attribute: string, required: boolean): number | null {
  const raw = text(node, attribute);
  if (raw === null) {
    if (required) throw new CotInputError(`event@${attribute}: required`);
    return null;
  }
  try {
    return parseIsoTime(raw, 'UTC');
  } catch (error) {
    if (error instanceof TimestampError) throw new CotInputError(`event@${attribute}: ${error.message}`);
    throw error;
  }
}

function point(node: Node | null): Pick<CotEvent, 'lon' | 'lat' | 'haeMeters' | 'ceMeters'> {
  let lat = number(node, 'lat');
  let lon = number(node, 'lon');
  const ce = number(node, 'ce');
  // OTS ignores latitudes written 999…; ATAK without a fix sends 0,0 with an unknown ce.
  if (lat !== null && Math.abs(lat) >= 999) lat = null;
  if (lat === 0 && lon === 0 && ce === null) lat = null;
  if (lat === null || lon === null) lat = lon = null;
  if (lat !== null && (lat < -90 || lat > 90))
    throw new CotInputError(`point@lat: ${lat} is outside [-90, 90]`);
  if (lon !== null && (lon < -180 || lon > 180))
    throw new CotInputError(`point@lon: ${lon} is outside [-180, 180]`);
  return { lat, lon, haeMeters: number(node, 'hae'), ceMeters: ce !== null && ce >= 0 ? ce : null };
}

function firstLink(detail: Node | null): CotEvent['link'] {
  const links = (Array.isArray(detail?.link) ? detail.link : []) as Node[];
  const link = links.find((l) => text(l, 'relation') === 'p-p') ?? links[0];
  const uid = link ? text(link, 'uid') : null;
  return link && uid ? { uid, type: text(link, 'type'), relation: text(link, 'relation') } : null;
}

function details(
  detail: Node | null,
): Pick<CotEvent, 'callsign' | 'group' | 'battery' | 'link' | 'emergency'> {
  const group = child(detail, '__group');
  const emergency = child(detail, 'emergency');
  const battery = number(child(detail, 'status'), 'battery');
  return {
    callsign: text(child(detail, 'contact'), 'callsign'),
    group: group ? { name: text(group, 'name'), role: text(group, 'role') } : null,
    battery,
    link: firstLink(detail),
    emergency: emergency
      ? { type: text(emergency, 'type'), cancel: text(emergency, 'cancel') === 'true' }
      : null,
  };
}

function motion(track: Node | null): Pick<CotEvent, 'speedMps' | 'courseDeg'> {
  const speed = number(track, 'speed');
  const course = number(track, 'course');
  return {
    speedMps: speed !== null && speed >= 0 ? speed : null,
    courseDeg: course !== null && course >= 0 && course <= 360 ? course : null,
  };
}

function toEvent(event: Node): CotEvent {
  const uid = text(event, 'uid');
  const type = text(event, 'type');
  if (!uid || uid.length > MAX_UID)
    throw new CotInputError(`event@uid: required, at most ${MAX_UID} characters`);
  if (!type) throw new CotInputError('event@type: required');
  const t = time(event, 'time', true) as number;
  const staleAt = time(event, 'stale', false);
  const detail = child(event, 'detail');
  return {
    uid,
    type,
    how: text(event, 'how'),
    time: t,
    start: time(event, 'start', false),
    staleAt,
    ttlMs: staleAt === null ? null : staleAt - t,
    ...point(child(event, 'point')),
    ...motion(child(detail, 'track')),
    ...details(detail),
  };
}

/** Parses one framed event (an XML declaration and surrounding whitespace allowed). Never throws. */
export function parseCotEvent(xml: string): CotParseResult {
  if (DTD.test(xml))
    return { ok: false, reason: 'dtd', message: 'DTDs and entity declarations are not accepted' };
  const body = xml.replace(DECLARATION, '').trim();
  const valid = XMLValidator.validate(body);
  if (valid !== true)
    return { ok: false, reason: 'malformed', message: `line ${valid.err.line}: ${valid.err.msg}` };
  try {
    const root = parser.parse(body) as Node;
    const keys = Object.keys(root);
    const event = child(root, 'event');
    if (!event || keys.length !== 1 || Array.isArray(root.event))
      return { ok: false, reason: 'malformed', message: 'the document must be exactly one <event>' };
    return { ok: true, event: toEvent(event) };
  } catch (error) {
    if (error instanceof CotInputError) return { ok: false, reason: 'invalid', message: error.message };
    return {
      ok: false,
      reason: 'malformed',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The affiliation letter of an atom type: 'a-f-G-U-C' → 'f', 'a-h-G' → 'h'; null for other families. */
export function affiliationOf(type: string): string | null {
  const [family, affiliation] = type.split('-');
  return family === 'a' && affiliation ? affiliation : null;
}

/** Friend or assumed friend: a unit that may report for itself. */
export const FRIENDLY_AFFILIATIONS = new Set(['f', 'a']);

export function classifyCot(event: Pick<CotEvent, 'type' | 'emergency'>): CotKind {
  if (event.type === 't-x-c-t') return 'ping';
  if (event.type === 'b-a-o-can' || (event.type.startsWith('b-a-o-') && event.emergency?.cancel))
    return 'sos-cancel';
  if (event.type === 'b-a-o-tbl') return 'sos';
  const affiliation = affiliationOf(event.type);
  if (affiliation === null) return 'other';
  return FRIENDLY_AFFILIATIONS.has(affiliation) ? 'position' : 'track';
}

/** Whose emergency it is: the p-p link's uid, else the event uid without ATAK's '-9-1-1' suffix. */
export function emergencySenderUid(event: Pick<CotEvent, 'uid' | 'link'>): string {
  if (event.link?.relation === 'p-p') return event.link.uid;
  return event.uid.endsWith('-9-1-1') ? event.uid.slice(0, -'-9-1-1'.length) : event.uid;
}
