import { z } from 'zod';
import { isTimeZone } from '../../lib/time.js';

/** A localised text: English is required, other languages optional (falls back to English). */
export const localisedText = z.object({ en: z.string().min(1) }).catchall(z.string());
export const levelId = z.enum(['L1', 'L2', 'L3', 'L4']);
const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'ids are letters, digits, - and _');

export const frameworkFile = z.object({
  version: z.string().min(1),
  id: z.string(),
  title: localisedText,
  levelThresholds: z.object({ L2: z.number(), L3: z.number(), L4: z.number() }),
  evidencePromptMinScore: z.number().int().min(0).max(4),
  scale: z.array(z.object({ score: z.number().int().min(0).max(4), label: localisedText })).length(5),
  levels: z.array(z.object({ id: levelId, name: localisedText, need: localisedText })).length(4),
  areas: z
    .array(
      z.object({
        id: z.string().regex(/^[A-Z]+$/),
        position: z.number().int().positive(),
        name: localisedText,
        summary: localisedText,
        levels: z.record(levelId, localisedText),
        statements: z.array(z.object({ id: z.string().regex(/^[A-Z]+\.\d+$/), text: localisedText })).min(1),
        levelUpTips: z.record(levelId, localisedText),
        nextSteps: z.array(
          z.object({ transition: z.string().regex(/^L[1-3]->L[2-4]$/), type: z.enum(['formal', 'social', 'experience']), text: localisedText }),
        ),
      }),
    )
    .min(1),
  cefr: z.object({ levels: z.array(z.string()), skills: z.array(z.object({ id: z.string(), name: localisedText })) }),
});

export const roleProfilesFile = z.object({
  version: z.string().min(1),
  roles: z.array(
    z.object({ id, name: localisedText, default: levelId, targets: z.record(z.string(), levelId) }),
  ).min(1),
});

export const organisationsFile = z.object({
  version: z.string().min(1),
  organisations: z
    .array(
      z.object({
        id,
        name: z.string().min(1),
        country: z.string().length(2),
        tenantIds: z.array(z.string()).default([]),
        strategy: z.record(z.string(), z.number().min(0)).optional(),
        units: z.array(z.object({ id, name: localisedText })).default([]),
      }),
    )
    .min(1),
});

/** A versioned file whose items have no shape yet. */
export const placeholderFile = z.object({ version: z.string().min(1), items: z.array(z.unknown()) });

const colour = z.string().regex(/^#[0-9a-f]{6}$/i);
const badgeText = z.object({ colour, name: localisedText, description: localisedText, criteria: localisedText });
/**
 * Badge classes: one per framework area × level (from the `levels` templates; {{area}} and {{level}} are filled with
 * the framework's names) plus meta-badges for the ladder, which require badges at a level in a number of areas.
 */
export const badgesFile = z.object({
  version: z.string().min(1),
  levels: z.object({ L2: badgeText, L3: badgeText, L4: badgeText }),
  meta: z.array(
    badgeText.extend({
      id: z.string().regex(/^META-[A-Z]+$/),
      requires: z.array(z.object({ level: z.enum(['L2', 'L3', 'L4']), areas: z.number().int().min(1).max(8) })).min(1),
    }),
  ),
});
export type BadgesFile = z.infer<typeof badgesFile>;

export type FrameworkFile = z.infer<typeof frameworkFile>;
export type RoleProfilesFile = z.infer<typeof roleProfilesFile>;
export type OrganisationsFile = z.infer<typeof organisationsFile>;

const optionId = z.string().regex(/^[a-z0-9]+$/);
export const moduleFile = z
  .object({
    id: z.string().regex(/^[A-Z]+-L[1-3]-L[2-4]$/),
    version: z.string().min(1),
    area: z.string().regex(/^[A-Z]+$/),
    transition: z.string().regex(/^L[1-3]->L[2-4]$/),
    title: localisedText,
    summary: localisedText,
    minutes: z.number().int().positive().max(120),
    lessons: z
      .array(
        z.object({
          id: z.string().min(1),
          title: localisedText,
          body: localisedText,
          link: z.object({ url: z.string().url().startsWith('https://'), label: localisedText }).optional(),
        }),
      )
      .min(3)
      .max(6),
    quiz: z.object({
      passMark: z.number().min(0.5).max(1),
      questions: z
        .array(
          z
            .object({
              id: z.string().regex(/^q\d+$/),
              type: z.enum(['single', 'multi']),
              prompt: localisedText,
              options: z.array(z.object({ id: optionId, text: localisedText, correct: z.boolean(), feedback: localisedText })).min(2).max(6),
            })
            .refine((q) => (q.type === 'single' ? q.options.filter((o) => o.correct).length === 1 : q.options.filter((o) => o.correct).length >= 2), {
              message: 'a single-choice question needs exactly one correct option, a multi-select question at least two',
            }),
        )
        .min(5),
    }),
    reflection: localisedText,
    sources: z.array(z.object({ title: z.string().min(1), url: z.string().url() })).min(1),
  })
  .refine((m) => m.id === `${m.area}-${m.transition.replace('->', '-')}`, { message: 'id must be <area>-<from>-<to>' });
export type ModuleFile = z.infer<typeof moduleFile>;

export const EVENT_TYPES = ['multiplier', 'workshop', 'meeting', 'ltt', 'webinar'] as const;
export const eventsFile = z.object({
  version: z.string().min(1),
  items: z.array(
    z
      .object({
        id: z.string().regex(/^[a-z0-9-]+$/),
        type: z.enum(EVENT_TYPES),
        title: localisedText,
        description: localisedText.optional(),
        start: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
        end: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
        timeZone: z.string().refine(isTimeZone, 'unknown time zone'),
        place: z.string().optional(),
        link: z.string().url().startsWith('https://').optional(),
        organisationId: z.string().nullable().default(null),
        areas: z.array(z.string().regex(/^[A-Z]+$/)).min(1),
      })
      .refine((e) => e.place || e.link, 'an event needs a place or a link')
      .refine((e) => e.end > e.start, 'end must be after start'),
  ),
});
export type EventsFile = z.infer<typeof eventsFile>;
