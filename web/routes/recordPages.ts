import type { FastifyInstance } from 'fastify';
import type { Kit } from './kit';
import { oversightRoutes } from './oversight';
import { peopleRoutes } from './people';
import { recordRoutes } from './record';

/** The case record's pages, the person search, and management oversight. */
export function recordPages(web: FastifyInstance, kit: Kit): void {
  recordRoutes(web, kit);
  peopleRoutes(web, kit);
  oversightRoutes(web, kit);
}
