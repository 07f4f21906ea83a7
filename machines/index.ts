import type { Pathway, PathwayId } from './common/case';
import { enhancedReconnect, reconnect } from './custody';
import { frontDoor } from './frontDoor';
import { parentInfant } from './parentInfant';

/** Every pathway the service runs, by id. */
export const pathways: Readonly<Record<PathwayId, Pathway>> = Object.freeze({
  parentInfant: parentInfant,
  frontDoor: frontDoor,
  reconnect: reconnect,
  enhancedReconnect: enhancedReconnect,
});

export function pathwayOf(id: PathwayId): Pathway {
  const pathway = pathways[id];
  if (!pathway) throw new RangeError(`unknown pathway: ${id}`);
  return pathway;
}

export * from './common/case';
