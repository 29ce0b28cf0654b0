import { renderCard, plainText, type Card } from '../../lib/cards.js';
import { AppError } from '../../lib/errors.js';
import { localised, type Translate } from '../../lib/i18n.js';
import { JobQueue } from '../../jobs/queue.js';
import { PeopleRepository } from '../people/people.repository.js';
import { BadgesRepository, type AwardRow, type BadgeClassContent } from './badges.repository.js';
import type { BadgesDeps } from './badges.service.js';

export type ChannelChoice = { id: string; title: string };

/** The person's own, standing award (anyone else's, or a revoked one, is refused). */
async function ownAward(deps: Pick<BadgesDeps, 'db'>, personId: string, awardId: string): Promise<AwardRow> {
  const award = await new BadgesRepository(deps.db).award(awardId);
  if (!award || award.personId !== personId) throw new AppError('not_found');
  return award;
}

/** Team channels where the bot is installed, in the person's tenant (their own organisation's teams). */
export async function celebrationChannels(deps: Pick<BadgesDeps, 'db'>, personId: string, awardId: string): Promise<{ award: AwardRow; channels: ChannelChoice[] }> {
  const award = await ownAward(deps, personId, awardId);
  const person = await new PeopleRepository(deps.db).findById(personId);
  const rows = person?.tenantId
    ? await deps.db.conversation.findMany({ where: { kind: 'channel', active: true, tenantId: person.tenantId }, orderBy: [{ teamName: 'asc' }, { channelName: 'asc' }], select: { id: true, teamName: true, channelName: true } })
    : [];
  return { award, channels: rows.map((r) => ({ id: r.id, title: `${r.teamName ?? '?'} › ${r.channelName ?? 'General'}` })) };
}

/**
 * Posts the celebration card to the chosen channel — only on the person's explicit click, once per badge and channel
 * (a double click or a replay queues nothing more). The card goes through the queue like every proactive message.
 */
export async function celebrate(deps: BadgesDeps, personId: string, input: { awardId: string; conversationId: string }, t: Translate, lang: string) {
  const { award, channels } = await celebrationChannels(deps, personId, input.awardId);
  if (award.revokedAt) throw new AppError('forbidden');
  const channel = channels.find((c) => c.id === input.conversationId);
  if (!channel) throw new AppError('not_found');
  const person = await new PeopleRepository(deps.db).findById(personId);
  const badge = localised((award.badgeClass.content as BadgeClassContent).name, lang);
  const card = celebrationCard(t, deps, award, plainText(person?.name ?? '?'), badge);
  const now = deps.clock.now();
  const { created } = await new JobQueue(deps.db).enqueue(
    { kind: 'notify', key: `celebrate:${award.id}:${channel.id}`, payload: { to: { conversationId: channel.id }, card, summary: t('badges.celebrate.cardTitle', { name: person?.name ?? '' }) }, runAt: now, personId },
    now,
  );
  if (created) await new PeopleRepository(deps.db).audit({ actor: `person:${personId}`, action: 'badge.celebrate', target: `badge:${award.id}`, details: { conversationId: channel.id } });
  return { channel, created };
}

function celebrationCard(t: Translate, deps: Pick<BadgesDeps, 'issuer'>, award: AwardRow, name: string, badge: string): Card {
  return renderCard('badge-celebration', {
    image: deps.issuer.imageUrl(award.badgeClassId),
    imageAlt: t('badges.earned.imageAlt', { name: badge }),
    title: t('badges.celebrate.cardTitle', { name }),
    text: t('badges.celebrate.cardText', { badge: plainText(badge) }),
    viewTitle: t('badges.celebrate.view'),
    url: deps.issuer.credentialUrl(award.id),
  });
}

/** Whether the person's name appears on the badge's public page: their choice, off by default. */
export async function setNameOnPage(deps: Pick<BadgesDeps, 'db'>, personId: string, awardId: string, show: boolean) {
  await ownAward(deps, personId, awardId);
  await new BadgesRepository(deps.db).setShowName(awardId, personId, show);
}
