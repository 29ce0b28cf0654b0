import type { Action } from '../features/people/authorise.js';

/**
 * Every command and card verb the bot answers, with the action authorise() checks for it.
 * Handlers are registered only through this registry, so the authorisation test can enumerate them all.
 */
export type CommandEntry = { name: string; action: Action };
export type VerbEntry = { verb: string; action: Action };

export class Registry {
  readonly commands = new Map<string, CommandEntry>();
  readonly verbs = new Map<string, VerbEntry>();

  addCommand(name: string, action: Action) {
    if (this.commands.has(name)) throw new Error(`command ${name} registered twice`);
    this.commands.set(name, { name, action });
  }

  addVerb(verb: string, action: Action) {
    if (!/^[a-z]+(\.[a-zA-Z]+)+$/.test(verb)) throw new Error(`verb "${verb}" must be namespaced, e.g. "settings.save"`);
    if (this.verbs.has(verb)) throw new Error(`verb ${verb} registered twice`);
    this.verbs.set(verb, { verb, action });
  }
}
