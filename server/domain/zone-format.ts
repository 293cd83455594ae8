// One cached Intl formatter per time zone that reads a wall clock's parts (24-hour): building a formatter costs
// far more than using one, and check-in periods, OsmAnd local times and the demo all ask for them often.
const formats = new Map<string, Intl.DateTimeFormat>();

export function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}
