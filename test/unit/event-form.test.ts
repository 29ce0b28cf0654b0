import { describe, expect, it } from '@jest/globals';
import { eventDetails, formFromEvent, isSafeLink, type EventForm } from '../../src/features/events/event-form.js';
import { eventChanges } from '../../src/features/events/event-change.js';

const form: EventForm = {
  type: 'webinar', title: '', startDate: '2027-03-28', startTime: '10:00', endDate: '', endTime: '11:00', timeZone: 'europe/helsinki',
  place: '', link: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d', deadlineDate: '', deadlineTime: '', areas: ['EU'],
};
const rules = { now: new Date('2027-03-01T08:00:00Z'), defaultTitle: 'Erasmus+ basics', defaultZone: 'Europe/Helsinki', areaIds: ['EU', 'MOB'] };
const reason = (f: Partial<EventForm>, r: Partial<typeof rules & { sendAt: Date; storedDeadline: Date }> = {}) => {
  const out = eventDetails({ ...form, ...f }, { ...rules, ...r });
  return out.ok ? 'ok' : out.reason;
};

describe('an event written with an announcement (pure rules)', () => {
  it('takes the defaults, the canonical zone and the same day for the end', () => {
    const out = eventDetails(form, rules);
    expect(out).toEqual({
      ok: true,
      value: { type: 'webinar', title: 'Erasmus+ basics', startsAt: new Date('2027-03-28T07:00:00Z'), endsAt: new Date('2027-03-28T08:00:00Z'), timeZone: 'Europe/Helsinki', place: null, link: form.link, registrationDeadline: null, areas: ['EU'] },
    });
  });

  it.each([
    [{ startTime: '03:30' }, {}, 'start'], // 28 March 2027, 03:00–04:00 does not exist in Helsinki (clocks go forward)
    [{ startDate: '2027-02-29' }, {}, 'start'],
    [{ endTime: '' }, {}, 'end'],
    [{ endDate: '2027-07-01' }, {}, 'tooLong'],
    [{ endTime: '10:00' }, {}, 'endBeforeStart'],
    [{ startDate: '2027-02-28' }, {}, 'startPast'],
    [{}, { sendAt: new Date('2027-03-28T07:30:00Z') }, 'startBeforeSend'],
    [{ deadlineDate: '2027-03-28' }, {}, 'deadlineAfterStart'], // 23:59 by default, after the start
    [{ deadlineDate: '2027-03-02', deadlineTime: '12:00' }, { sendAt: new Date('2027-03-03T08:00:00Z') }, 'deadlinePast'],
    [{ deadlineTime: '12:00' }, {}, 'deadline'],
    [{ link: 'https://user:pw@meet.example/x' }, {}, 'link'],
    [{ link: 'https://meet.example/x](https://evil.example)' }, {}, 'link'],
    [{ link: '', place: '  ' }, {}, 'where'],
    [{ timeZone: '+02:00' }, {}, 'timeZone'],
    [{ areas: ['XYZ'] }, {}, 'areas'],
    [{ areas: ['EU', 'MOB', 'VET', 'ICC'] }, { areaIds: ['EU', 'MOB', 'VET', 'ICC'] }, 'tooManyAreas'],
    [{ areas: ['EU', 'MOB', 'EU', 'VET'] }, { areaIds: ['EU', 'MOB', 'VET', 'ICC'] }, 'ok'], // three areas, one listed twice
    [{ type: '' }, {}, 'type'],
    [{ title: 'x'.repeat(121) }, {}, 'title'],
  ] as [Partial<EventForm>, Partial<typeof rules & { sendAt: Date }>, string][])('%j %j → %s', (f, r, expected) => {
    expect(reason(f, r)).toBe(expected);
  });

  it('keeps a stored deadline that has passed when editing other details, but refuses a new past one', () => {
    const stored = new Date('2027-02-20T21:59:00Z');
    expect(reason({ deadlineDate: '2027-02-20' }, { storedDeadline: stored })).toBe('ok');
    expect(reason({ deadlineDate: '2027-02-21' }, { storedDeadline: stored })).toBe('deadlinePast');
  });

  it('shows a stored event in its own zone, and tells what changed for people who answered', () => {
    const stored = { type: 'workshop', title: 'W', startsAt: new Date('2027-03-10T08:00:00Z'), endsAt: new Date('2027-03-11T12:00:00Z'), timeZone: 'Europe/Tallinn', place: 'Tallinn', link: null, registrationDeadline: null, areas: ['ICC'] };
    expect(formFromEvent(stored)).toMatchObject({ startDate: '2027-03-10', startTime: '10:00', endDate: '2027-03-11', endTime: '14:00', deadlineDate: '' });
    expect(eventChanges(stored, { ...stored, place: 'Tartu' })).toEqual([{ field: 'where', from: 'Tallinn', to: 'Tartu' }]);
    expect(eventChanges(stored, { ...stored, timeZone: 'Europe/Helsinki' })).toEqual([
      { field: 'when', from: '2027-03-10 10:00–2027-03-11 14:00 (Europe/Tallinn)', to: '2027-03-10 10:00–2027-03-11 14:00 (Europe/Helsinki)' },
    ]);
    expect(eventChanges(stored, { ...stored })).toEqual([]);
    expect(isSafeLink('http://meet.example/x')).toBe(false);
  });
});
