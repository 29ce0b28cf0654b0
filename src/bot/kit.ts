import { ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { ZodType, ZodTypeDef } from 'zod';
import { authorise, type Action } from '../features/people/authorise.js';
import type { Card } from '../lib/cards.js';
import { AppError, errorRef } from '../lib/errors.js';
import { i18n } from '../lib/i18n.js';
import type { Logger } from '../lib/logger.js';
import { errorCard, personalOnlyCard, refusalCard, unknownTextCard, welcomeCard } from './common.cards.js';
import type { Registry } from './registry.js';
import { getTurn, type Turn } from './turn.js';
import type { Db } from '../db/client.js';
import type { PrivacyTerms } from '../features/privacy/terms.js';

export type Reply = Card | string | void;
export type CommandHandler = (context: TurnContext, turn: Turn, args: string) => Promise<Reply>;
export type VerbHandler<T> = (context: TurnContext, turn: Turn, input: T) => Promise<Card>;

type KitDeps = { app: Application<TurnState>; registry: Registry; logger: Logger; db: Db; terms: PrivacyTerms };

export async function sendCard(context: TurnContext, card: Card) {
  return context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

/** A 1:1 chat with the bot (Teams omits conversationType there in some clients). */
export function isPersonal(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return !type || type === 'personal';
}

async function sendReply(context: TurnContext, reply: Reply) {
  if (!reply) return;
  if (typeof reply === 'string') await context.sendActivity(reply);
  else await sendCard(context, reply);
}

/**
 * The only way handlers are wired: parse → authorise → handler → card. A refused or invalid action changes
 * nothing and gets a friendly card; an unexpected error is logged and shown as a generic message with a reference.
 */
export class BotKit {
  private readonly handlers = new Map<string, CommandHandler>();
  private aliases: Map<string, string> | undefined;

  constructor(private readonly deps: KitDeps) {}

  /** What the privacy notice promises (smallest group, retention period), for the welcome and privacy cards. */
  get terms(): PrivacyTerms {
    return this.deps.terms;
  }

  command(name: string, action: Action, handler: CommandHandler) {
    this.deps.registry.addCommand(name, action);
    this.handlers.set(name, handler);
    this.aliases = undefined;
  }

  verb<T>(verb: string, action: Action, schema: ZodType<T, ZodTypeDef, unknown>, handler: VerbHandler<T>) {
    this.deps.registry.addVerb(verb, action);
    const run = async (context: TurnContext, data: Record<string, unknown>): Promise<Card> => {
      const turn = getTurn(context);
      if (!turn) return errorCard(undefined, 'noSender');
      // Everything so far is personal (profiles, requests with names and e-mails): never answered in a team or group chat.
      if (!isPersonal(context)) return personalOnlyCard(turn);
      const gate = await this.gate(turn, action, { verb });
      if (gate) return gate;
      const { verb: _ignored, ...payload } = data ?? {};
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        this.deps.logger.info({ verb, personId: turn.person.id, issues: parsed.error.issues.slice(0, 5) }, 'invalid card payload refused');
        return errorCard(turn, 'invalid_input');
      }
      return this.guard(turn, { verb }, () => handler(context, turn, parsed.data));
    };
    this.deps.app.adaptiveCards.actionExecute(verb, async (context, _state, data) => run(context, data as Record<string, unknown>));
    this.deps.app.adaptiveCards.actionSubmit(verb, async (context, _state, data) => {
      await sendCard(context, await run(context, data as Record<string, unknown>));
    });
  }

  /** Registers the message router and the answer to invokes no verb took; call after all commands and verbs. */
  listen() {
    // teams-ai answers an invoke no route took with 501. A card button whose verb no handler knows (an old card, or a
    // forged one) gets the stale-card card instead; any other invoke is nothing this bot does: 400.
    this.deps.app.activity(ActivityTypes.Invoke, async (context) => {
      const cardAction = context.activity.name === 'adaptiveCard/action';
      if (cardAction) this.deps.logger.info({ personId: getTurn(context)?.person.id }, 'card action with an unknown verb refused');
      const body = { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: errorCard(getTurn(context), 'stale_card') };
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: cardAction ? { status: 200, body } : { status: 400 } });
    });
    this.deps.app.activity(ActivityTypes.Message, async (context) => {
      const turn = getTurn(context);
      if (!turn) return;
      if (!isPersonal(context)) return void (await sendCard(context, personalOnlyCard(turn)));
      const text = (context.activity.text ?? '').trim();
      if (!text) {
        // An Action.Submit whose verb no handler knows (an old card after an update, or a forged one).
        if (context.activity.value) await sendCard(context, errorCard(turn, 'stale_card'));
        return;
      }
      const [word = '', ...rest] = text.split(/\s+/);
      const name = this.commandFor(text.toLowerCase()) ?? this.commandFor(word.toLowerCase());
      if (!name) {
        await sendCard(context, turn.person.onboardedAt ? unknownTextCard(turn, text) : await welcomeCard(this.deps.db, turn, this.deps.terms));
        return;
      }
      const entry = this.deps.registry.commands.get(name)!;
      const gate = await this.gate(turn, entry.action, { command: name });
      if (gate) return void (await sendCard(context, gate));
      const reply = await this.guard(turn, { command: name }, async () => (await this.handlers.get(name)!(context, turn, rest.join(' '))) ?? undefined);
      await sendReply(context, reply);
    });
  }

  /** Returns the card to show instead of running the handler (welcome or refusal), or undefined to go on. */
  private async gate(turn: Turn, action: Action, what: object): Promise<Card | undefined> {
    const decision = authorise(turn.actor, action);
    if (decision.allowed) return undefined;
    if (decision.reason === 'not_onboarded') return welcomeCard(this.deps.db, turn, this.deps.terms);
    this.deps.logger.warn({ ...what, personId: turn.person.id, reason: decision.reason }, 'action refused');
    return refusalCard(turn);
  }

  private async guard<R>(turn: Turn, what: object, fn: () => Promise<R>): Promise<R | Card> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof AppError) {
        this.deps.logger.info({ ...what, personId: turn.person.id, code: error.code }, 'action ended with a user-facing error');
        return error.code === 'forbidden' ? refusalCard(turn) : errorCard(turn, error.code);
      }
      const ref = errorRef();
      this.deps.logger.error({ ...what, personId: turn.person.id, err: error, ref }, 'handler failed');
      return errorCard(turn, 'generic', ref);
    }
  }

  /** Command words in every language: `commands.<name>.words` is "help|apua|ohje". */
  private commandFor(text: string): string | undefined {
    if (!this.aliases) {
      this.aliases = new Map();
      const resources = i18n().options.resources ?? {};
      for (const name of this.handlers.keys()) {
        this.aliases.set(name, name);
        for (const lang of Object.keys(resources)) {
          const words = i18n().getFixedT(lang)(`commands.${name}.words`, { defaultValue: '' });
          for (const w of words.split('|').map((s: string) => s.trim().toLowerCase()).filter(Boolean)) this.aliases.set(w, name);
        }
      }
    }
    return this.aliases.get(text);
  }
}
