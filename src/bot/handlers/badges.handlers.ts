import { z } from 'zod';
import { awardFormCard, badgesListCard, celebrateFormCard } from '../../features/badges/badges.cards.js';
import { awardChoices, awardDirectly } from '../../features/badges/direct-award.service.js';
import { celebrate, celebrationChannels, setNameOnPage } from '../../features/badges/celebrate.service.js';
import { BadgesRepository } from '../../features/badges/badges.repository.js';
import { attendedEvents, myBadges, type BadgesDeps } from '../../features/badges/badges.service.js';
import { localised } from '../../lib/i18n.js';
import { AppError } from '../../lib/errors.js';
import { button, noticeCard } from '../../features/people/people.cards.js';
import { PeopleRepository } from '../../features/people/people.repository.js';
import { applyFormCard, reviewCard, reviewDoneCard } from '../../features/badges/reviews.cards.js';
import { applicationForReviewer, applyForBadge, badgeClassFor, reviewApplication, statementEvidence } from '../../features/badges/reviews.service.js';
import type { BotKit } from '../kit.js';
import type { Turn } from '../turn.js';

const noInput = z.object({}).passthrough();
const badgeId = z.string().trim().regex(/^[A-Z]+-(L[2-4]|[A-Z]+)$/);
const badgeRef = z.object({ badgeId });
const applicationInput = z.object({
  badgeId,
  evidence: z.string().trim().min(1).max(2000),
  link: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().url().max(500).regex(/^https?:\/\//).optional()),
});
const awardId = z.string().trim().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const awardRef = z.object({ awardId });
const celebrateInput = z.object({ awardId, conversationId: z.string().trim().min(1).max(300) });
const showNameInput = z.object({ awardId, show: z.enum(['true', 'false']) });
const awardInput = z.object({
  personId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
  badgeId,
  note: z.string().trim().min(1).max(1000),
});
const reviewInput = z.object({
  applicationId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
  decision: z.enum(['approve', 'more', 'decline']),
  comment: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().trim().max(1000)),
});

/** `badges`: the person's Open Badges with their status, and what they can apply for next. */
export function registerBadgeHandlers(kit: BotKit, deps: BadgesDeps) {
  const list = async (turn: Turn) => {
    const { awards, statuses } = await myBadges(deps, turn.person.id);
    const names = new Map((await new BadgesRepository(deps.db).classes()).map((c) => [c.id, localised(c.content.name, turn.lang)]));
    return badgesListCard(turn.t, turn.lang, deps.issuer, awards, statuses, names);
  };
  kit.command('badges', 'badges.view', async (_context, turn) => list(turn));
  kit.verb('badges.list', 'badges.view', noInput, async (_context, turn) => list(turn));

  kit.command('award', 'badges.award', async (_context, turn) => awardFormCard(turn.t, await awardChoices(deps, turn.actor, turn.lang)));
  kit.verb('badges.awardForm', 'badges.award', noInput, async (_context, turn) => awardFormCard(turn.t, await awardChoices(deps, turn.actor, turn.lang)));
  kit.verb('badges.award', 'badges.award', awardInput, async (_context, turn, input) => {
    const { award, created } = await awardDirectly(deps, turn.actor, input);
    const person = await new PeopleRepository(deps.db).findById(award.personId);
    const params = { name: person?.name ?? '?', badge: localised((award.badgeClass.content as { name: Record<string, string> }).name, turn.lang) };
    return noticeCard({
      title: turn.t('badges.award.done'),
      text: created ? turn.t('badges.award.doneText', params) : turn.t('badges.award.already', params),
      tone: created ? 'good' : 'default',
      buttons: [button(turn.t('badges.award.title'), 'badges.awardForm')],
    });
  });
  kit.verb('badges.celebrateForm', 'badges.view', awardRef, async (_context, turn, input) => {
    const { award, channels } = await celebrationChannels(deps, turn.person.id, input.awardId);
    if (award.revokedAt) return noticeCard({ title: turn.t('badges.celebrate.title', { name: '' }), text: turn.t('badges.celebrate.revoked') });
    return celebrateFormCard(turn.t, turn.lang, award, channels);
  });
  kit.verb('badges.celebrate', 'badges.view', celebrateInput, async (_context, turn, input) => {
    const { channel, created } = await celebrate(deps, turn.person.id, input, turn.t, turn.lang);
    return noticeCard({
      title: turn.t('badges.celebrate.posted'),
      text: created ? turn.t('badges.celebrate.postedText', { channel: channel.title }) : turn.t('badges.celebrate.already', { channel: channel.title }),
      tone: 'good',
      buttons: [button(turn.t('badges.actions.list'), 'badges.list')],
    });
  });
  kit.verb('badges.showName', 'badges.view', showNameInput, async (_context, turn, input) => {
    await setNameOnPage(deps, turn.person.id, input.awardId, input.show === 'true');
    return noticeCard({ title: turn.t('badges.showName.title'), text: turn.t(input.show === 'true' ? 'badges.showName.shown' : 'badges.showName.hidden'), buttons: [button(turn.t('badges.actions.list'), 'badges.list')] });
  });

  kit.verb('badges.apply', 'badges.apply', badgeRef, async (_context, turn, input) => {
    const badge = await badgeClassFor(deps, input.badgeId);
    if (!badge) throw new AppError('not_found');
    return applyFormCard(turn.t, turn.lang, badge, await statementEvidence(deps, turn.person.id, badge.areaId, turn.lang), await attendedEvents(deps.db, turn.person.id, badge.areaId, turn.lang));
  });
  kit.verb('badges.submit', 'badges.apply', applicationInput, async (_context, turn, input) => {
    const { application, created, reviewers } = await applyForBadge(deps, turn.person.id, input);
    const name = localised(((await badgeClassFor(deps, application.badgeClassId))?.content.name ?? {}) as Record<string, string>, turn.lang);
    if (!created) return noticeCard({ title: turn.t('badges.apply.sent'), text: turn.t('badges.apply.already', { name }), buttons: [button(turn.t('badges.actions.list'), 'badges.list')] });
    return noticeCard({
      title: turn.t('badges.apply.sent'),
      text: reviewers > 0 ? turn.t('badges.apply.sentText', { count: reviewers, name }) : turn.t('badges.apply.noReviewer', { name }),
      tone: reviewers > 0 ? 'good' : 'attention',
      buttons: [button(turn.t('badges.actions.list'), 'badges.list')],
    });
  });
  kit.verb('badges.review', 'badges.review', reviewInput, async (_context, turn, input) => {
    if (input.decision !== 'approve' && !input.comment) {
      const app = await applicationForReviewer(deps, turn.actor, input.applicationId);
      if (app.status === 'pending') {
        const notes = await statementEvidence(deps, app.personId, app.badgeClass.areaId, turn.lang);
        return reviewCard(turn.t, turn.lang, app, notes, await attendedEvents(deps.db, app.personId, app.badgeClass.areaId, turn.lang), turn.t('badges.review.needsComment'));
      }
    }
    const { application, outcome } = await reviewApplication(deps, turn.actor, { applicationId: input.applicationId, decision: input.decision, comment: input.comment });
    const decider = application.decidedBy?.startsWith('person:') ? await new PeopleRepository(deps.db).findById(application.decidedBy.slice(7)) : null;
    return reviewDoneCard(turn.t, turn.lang, application, outcome, decider?.name ?? null);
  });
}
