import type { Pathway, PathwayId } from './common/case';
import { parentInfant } from './parentInfant';

/** Every pathway the service runs, by id. */
export const pathways: Record<PathwayId, Pathway> = {
  parentInfant: parentInfant,
} as Record<PathwayId, Pathway>;

export function pathwayOf(id: PathwayId): Pathway {
  const pathway = pathways[id];
  if (!pathway) throw new RangeError(`unknown pathway: ${id}`);
  return pathway;
}

export * from './common/case';
