import { describe, expect, it } from '@jest/globals';
import { formatInZone, isCalendarDate, isTimeZone, zonedToUtc } from '../../src/lib/time.js';

describe('time zones', () => {
  it.each([
    ['2027-02-10T14:00', 'Europe/Helsinki', '2027-02-10T12:00:00.000Z'],
    ['2027-07-10T14:00', 'Europe/Helsinki', '2027-07-10T11:00:00.000Z'],
    ['2027-03-28T10:00', 'Europe/Madrid', '2027-03-28T08:00:00.000Z'],
    ['2027-01-15T09:30', 'Europe/Tallinn', '2027-01-15T07:30:00.000Z'],
    ['2027-06-01T00:00', 'UTC', '2027-06-01T00:00:00.000Z'],
  ])('%s in %s is %s', (local, tz, utc) => {
    expect(zonedToUtc(local, tz).toISOString()).toBe(utc);
    expect(formatInZone(new Date(utc), tz)).toBe(local.replace('T', ' '));
  });

  it('refuses malformed times and knows real zones', () => {
    expect(() => zonedToUtc('10.2.2027 14:00', 'Europe/Helsinki')).toThrow(RangeError);
    expect(isTimeZone('Europe/Rome')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('calendar dates', () => {
  it.each([
    ['2027-02-28', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2027-02-30', false],
    ['2027-13-01', false],
    ['2027-00-10', false],
    ['2027-04-31', false],
    ['27-04-01', false],
  ])('%s is a day of the calendar: %s', (date, expected) => {
    expect(isCalendarDate(date)).toBe(expected);
  });
});
