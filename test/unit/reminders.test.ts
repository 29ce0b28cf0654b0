import { describe, expect, it } from '@jest/globals';
import { dueReminders, stillWanted, type ReminderSnapshot } from '../../src/features/reminders/reminders.rules.js';
import { DEFAULT_PREFS, isQuiet, quietEndsAfter, dailyCron } from '../../src/features/reminders/preferences.js';
import { lastOccurrence } from '../../src/jobs/scheduler.js';
import { waitFor } from '../../src/bot/send-pacing.js';

const base: ReminderSnapshot = {
  personId: 'p1', lastSeenAt: new Date('2026-12-01T08:00:00Z'), plan: null, rsvps: [], openAssessment: null, openModules: [], lastCompletedAssessment: null, lastNudgeAt: null,
};
const types = (s: ReminderSnapshot, at: string, tz = 'Europe/Helsinki') => dueReminders(s, new Date(at), tz, { nudgeAfterWeeks: 3 }).map((r) => r.type);

describe('what is due (pure rules)', () => {
  it('event reminders a week and a day before, by the person’s local calendar, only for Going or Maybe', () => {
    const s = { ...base, rsvps: [
      { eventId: 'e1', status: 'going', startsAt: new Date('2026-12-08T08:00:00Z'), cancelled: false },
      { eventId: 'e2', status: 'no', startsAt: new Date('2026-12-08T08:00:00Z'), cancelled: false },
      { eventId: 'e3', status: 'maybe', startsAt: new Date('2026-12-02T23:30:00Z'), cancelled: false },
    ] };
    // 2026-12-02T23:30Z is already 3 December in Helsinki, still 2 December in London.
    expect(types(s, '2026-12-01T07:00:00Z')).toEqual(['event-week']);
    expect(types(s, '2026-12-01T09:00:00Z', 'Europe/London')).toEqual(['event-week', 'event-day']);
    expect(types(s, '2026-12-02T07:00:00Z')).toEqual(['event-day']);
  });

  it('a cancelled event has no reminders, and one queued before the cancellation is no longer wanted', () => {
    const rsvp = { eventId: 'e1', status: 'going', startsAt: new Date('2026-12-08T08:00:00Z'), endsAt: new Date('2026-12-08T12:00:00Z'), cancelled: false };
    const cancelled = { ...base, rsvps: [{ ...rsvp, cancelled: true }] };
    expect(types({ ...base, rsvps: [rsvp] }, '2026-12-01T07:00:00Z')).toEqual(['event-week']);
    expect(types(cancelled, '2026-12-01T07:00:00Z')).toEqual([]);
    expect(types(cancelled, '2026-12-07T07:00:00Z')).toEqual([]);
    expect(types(cancelled, '2026-12-09T07:00:00Z')).toEqual([]); // no "did you attend?"
    const queuedAt = new Date('2026-12-01T07:00:00Z');
    for (const type of ['event-week', 'event-day', 'event-attended'] as const) {
      expect(stillWanted({ ...base, rsvps: [{ ...rsvp, startsAt: new Date('2026-12-10T08:00:00Z') }] }, { type, refId: 'e1' }, queuedAt, queuedAt)).toBe(true);
      expect(stillWanted(cancelled, { type, refId: 'e1' }, queuedAt, queuedAt)).toBe(false);
    }
  });

  it('an event moved to another day is reminded of again for its new start; a reminder queued for the old start is not sent', () => {
    const rsvp = { eventId: 'e1', status: 'going', startsAt: new Date('2026-12-08T08:00:00Z'), cancelled: false };
    const weekBefore = dueReminders({ ...base, rsvps: [rsvp] }, new Date('2026-12-01T07:00:00Z'), 'Europe/Helsinki', { nudgeAfterWeeks: 3 });
    expect(weekBefore.map((r) => r.type)).toEqual(['event-week']);
    const moved = { ...base, rsvps: [{ ...rsvp, startsAt: new Date('2026-12-15T08:00:00Z') }] };
    const afterMove = dueReminders(moved, new Date('2026-12-08T07:00:00Z'), 'Europe/Helsinki', { nudgeAfterWeeks: 3 });
    expect(afterMove.map((r) => r.type)).toEqual(['event-week']);
    expect(afterMove[0]!.key).not.toBe(weekBefore[0]!.key);
    const queuedAt = new Date('2026-12-01T07:00:00Z');
    expect(stillWanted({ ...base, rsvps: [rsvp] }, weekBefore[0]!, queuedAt, queuedAt)).toBe(true);
    expect(stillWanted(moved, weekBefore[0]!, queuedAt, queuedAt)).toBe(false);
    expect(stillWanted(moved, afterMove[0]!, queuedAt, queuedAt)).toBe(true);
  });

  it('unfinished work after three days, check-ins in weeks 4/8/12, a new assessment after six months, a monthly nudge', () => {
    const s: ReminderSnapshot = {
      ...base,
      lastSeenAt: new Date('2026-11-01T08:00:00Z'),
      openModules: [{ moduleId: 'EU-L1-L2', startedAt: new Date('2026-11-27T08:00:00Z'), updatedAt: new Date('2026-11-27T08:00:00Z') }],
      plan: { id: 'plan1', createdAt: new Date('2026-11-03T08:00:00Z'), checkins: ['2026-12-01T08:00:00Z', '2026-12-29T08:00:00Z', '2027-01-26T08:00:00Z', '2027-05-03T08:00:00Z'], steps: [] },
      lastCompletedAssessment: { id: 'a0', completedAt: new Date('2026-05-30T08:00:00Z') },
    };
    expect(types(s, '2026-11-29T07:00:00Z')).toEqual(['nudge']);
    expect(types(s, '2026-12-01T07:00:00Z')).toEqual(['module-unfinished', 'checkin', 'reassess', 'nudge']);
    expect(types({ ...s, lastNudgeAt: new Date('2026-11-20T07:00:00Z') }, '2026-12-01T07:00:00Z')).not.toContain('nudge');
    expect(types({ ...s, openAssessment: { id: 'a1', updatedAt: new Date('2026-12-01T06:00:00Z') } }, '2026-12-01T07:00:00Z')).not.toContain('reassess');
  });
});

describe('preferences and time', () => {
  it('quiet hours across midnight, in the person’s zone', () => {
    expect(isQuiet(new Date('2026-12-01T19:30:00Z'), 'Europe/Helsinki', DEFAULT_PREFS)).toBe(true); // 21:30
    expect(isQuiet(new Date('2026-12-01T05:30:00Z'), 'Europe/Helsinki', DEFAULT_PREFS)).toBe(false); // 07:30
    expect(isQuiet(new Date('2026-12-01T05:30:00Z'), 'Europe/Madrid', DEFAULT_PREFS)).toBe(true); // 06:30
    expect(quietEndsAfter(new Date('2026-12-01T19:30:00Z'), 'Europe/Helsinki', DEFAULT_PREFS).toISOString()).toBe('2026-12-02T05:00:00.000Z');
  });

  it('the daily cron runs at the preferred local time, across a daylight-saving change', () => {
    expect(dailyCron({ ...DEFAULT_PREFS, time: '08:30' })).toBe('30 8 * * *');
    expect(lastOccurrence('0 9 * * *', 'Europe/Helsinki', new Date('2027-03-27T12:00:00Z'), new Date('2027-03-28T12:00:00Z'))!.toISOString()).toBe('2027-03-28T06:00:00.000Z');
    expect(lastOccurrence('0 9 * * *', 'Europe/Helsinki', new Date('2027-03-26T12:00:00Z'), new Date('2027-03-27T12:00:00Z'))!.toISOString()).toBe('2027-03-27T07:00:00.000Z');
    expect(lastOccurrence('0 9 * * *', 'Europe/Helsinki', new Date('2027-03-27T07:00:00Z'), new Date('2027-03-27T12:00:00Z'))).toBeNull();
  });

  it('per-conversation limits: the eighth send within a second waits, the ninth within two seconds waits longer', () => {
    const now = 100_000;
    const seven = Array.from({ length: 7 }, (_, i) => now - i * 100);
    expect(waitFor(seven, now)).toBe(0);
    expect(waitFor([now, ...seven], now)).toBe(now - 600 + 1000 - now + 1);
    const nine = [now, ...Array.from({ length: 8 }, (_, i) => now - 1100 - i * 100)];
    expect(waitFor(nine, now)).toBe(now - 1800 + 2000 - now + 1);
  });
});
