// Docker API paths pont has no part for (volumes, builds, swarm, image pushes…): Docker's
// "not implemented" (501) with what pont is, instead of a bare "page not found".
import { ApiError } from '../errors.js';
import { route, type Route } from '../router.js';

const NOT_HERE: [string, string][] = [
  ['/containers/{id}/pause', 'pause'], ['/containers/{id}/unpause', 'unpause'], ['/containers/{id}/rename', 'rename'],
  ['/containers/{id}/update', 'update'], ['/containers/{id}/top', 'top'], ['/containers/{id}/stats', 'stats'],
  ['/containers/{id}/changes', 'changes'], ['/containers/{id}/export', 'export'], ['/containers/{id}/archive', 'cp'],
  ['/commit', 'commit'], ['/build', 'build'], ['/build/prune', 'builder prune'],
  ['/images/load', 'load'], ['/images/get', 'save'], ['/images/search', 'search'], ['/images/prune', 'image prune'],
  ['/images/{name}/push', 'push'], ['/images/{name}/tag', 'tag'], ['/images/{name}/history', 'history'],
  ['/volumes/create', 'volume create'], ['/volumes/prune', 'volume prune'], ['/system/df', 'system df'], ['/auth', 'login'],
  ['/swarm', 'swarm'], ['/swarm/init', 'swarm init'], ['/swarm/join', 'swarm join'], ['/services', 'service'], ['/nodes', 'node'],
  ['/tasks', 'swarm tasks'], ['/secrets', 'secret'], ['/configs', 'config'], ['/plugins', 'plugin'], ['/session', 'buildkit sessions'],
  ['/distribution/{name}/json', 'registry lookups'],
];

/** Every method on these paths: 501, naming what pont does not do. */
export const unsupportedRoutes: Route[] = NOT_HERE.flatMap(([path, what]) =>
  ['GET', 'POST', 'PUT', 'DELETE', 'HEAD'].map((method) =>
    route(method, path, async () => {
      throw new ApiError(501, `pont does not implement ${what}: it is Docker's network layer, with containers as network namespaces (docs/api.md lists what it answers)`);
    }),
  ),
);
