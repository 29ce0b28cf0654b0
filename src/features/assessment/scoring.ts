/**
 * Pure scoring rules of the self-assessment (framework: answers 0–4 per statement, a level per area from the
 * area's mean). No I/O: table-tested in test/unit/scoring.test.ts.
 */
export const LEVELS = ['L1', 'L2', 'L3', 'L4'] as const;
export type Level = (typeof LEVELS)[number];
export type Thresholds = { L2: number; L3: number; L4: number };

export const MIN_SCORE = 0;
export const MAX_SCORE = 4;

export function isScore(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= MIN_SCORE && (value as number) <= MAX_SCORE;
}

/** Rookie below L2's threshold, Explorer from it, Practitioner from L3's, Expert from L4's (thresholds inclusive). */
export function levelFromMean(mean: number, t: Thresholds): Level {
  if (!Number.isFinite(mean) || mean < MIN_SCORE || mean > MAX_SCORE) throw new RangeError(`mean ${mean} is outside ${MIN_SCORE}–${MAX_SCORE}`);
  if (mean >= t.L4) return 'L4';
  if (mean >= t.L3) return 'L3';
  if (mean >= t.L2) return 'L2';
  return 'L1';
}

export type AreaScore = { mean: number; level: Level };

/** An area's mean and level; undefined until every statement of the area is answered. */
export function scoreArea(statementIds: string[], answers: Record<string, number>, t: Thresholds): AreaScore | undefined {
  if (statementIds.length === 0 || statementIds.some((id) => !isScore(answers[id]))) return undefined;
  const mean = statementIds.reduce((sum, id) => sum + answers[id]!, 0) / statementIds.length;
  return { mean, level: levelFromMean(mean, t) };
}

/** The overall level: the mean of the area means (each area weighs the same, whatever its number of statements). */
export function overall(areas: AreaScore[], t: Thresholds): AreaScore | undefined {
  if (areas.length === 0) return undefined;
  const mean = areas.reduce((sum, a) => sum + a.mean, 0) / areas.length;
  return { mean, level: levelFromMean(mean, t) };
}

export type RoleProfile = { default: Level; targets: Record<string, Level> };

/** The job role's target level for an area: its own target, else the role's default. */
export function targetLevel(profile: RoleProfile, areaId: string): Level {
  return profile.targets[areaId] ?? profile.default;
}

/** How many levels a person is below the target (0 when at or above it). */
export function gap(current: Level, target: Level): number {
  return Math.max(0, LEVELS.indexOf(target) - LEVELS.indexOf(current));
}

/** The higher of two levels (the path issue's "current" level: assessed vs recognised by a badge). */
export function higher(a: Level, b: Level | undefined): Level {
  return b && LEVELS.indexOf(b) > LEVELS.indexOf(a) ? b : a;
}
