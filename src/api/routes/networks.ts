// /networks: list, inspect, create, remove, connect, disconnect, prune — the engine's network
// verbs behind Docker's paths, bodies, status codes and JSON shapes.
import { inspectNetwork } from '../../core/present-network.js';
import { naturalCompare } from '../../core/collate.js';
import { planNetworkListFilter } from '../../core/filters/network.js';
import { planPruneFilter } from '../../core/filters/prune.js';
import { findNetwork } from '../../engine/lookup.js';
import { mutate, readState } from '../door.js';
import { badRequest, notFound } from '../errors.js';
import { filterList, parseFilters, readJson, sendEmpty, sendJson } from '../request.js';
import { route, type Route } from '../router.js';
import { networkConnectRequest, networkCreateRequest, unprefixed } from '../translate.js';

export const networkRoutes: Route[] = [
  route('GET', '/networks', async (req, res) => {
    const keep = parseFilters(planNetworkListFilter, filterList(req.query));
    const state = await readState();
    const test = keep(state);
    // the list has no container details, as dockerd's (they are inspect's)
    const list = state.networks.filter(test).sort((a, b) => naturalCompare(a.name, b.name)).map((n) => ({ ...inspectNetwork(n, []), Containers: {} }));
    sendJson(res, 200, list);
  }),
  route('GET', '/networks/{id}', async (req, res) => {
    const state = await readState();
    const n = findNetwork(state, req.params.id);
    if (!n) throw notFound(`network ${req.params.id} not found`);
    const cluster = n.driver === 'overlay' ? await (await import('../../engine/read-state.js')).clusterForInspect() : null;
    sendJson(res, 200, inspectNetwork(n, state.containers, cluster ?? undefined));
  }),
  route('POST', '/networks/create', async (req, res) => {
    const request = networkCreateRequest(await readJson(req.raw));
    const { createNetwork } = await import('../../engine/network/index.js');
    const { id, warnings } = await mutate(async (ctx, said) => ({ id: await createNetwork(ctx, request), warnings: said.err }));
    // what pont's CLI prints on stderr (its forwarding warning); Docker's CLI does not print this field
    sendJson(res, 201, { Id: id, Warning: warnings.map(unprefixed).join('\n') });
  }),
  route('DELETE', '/networks/{id}', async (req, res) => {
    const state = await readState();
    const n = findNetwork(state, req.params.id);
    if (!n) throw notFound(`network ${req.params.id} not found`);
    const { removeNetwork } = await import('../../engine/network/index.js');
    await mutate((ctx) => removeNetwork(ctx, n.id));
    sendEmpty(res, 204);
  }),
  route('POST', '/networks/{id}/connect', async (req, res) => {
    const r = networkConnectRequest(await readJson(req.raw));
    const { connectContainer } = await import('../../engine/network/index.js');
    await mutate((ctx) => connectContainer(ctx, req.params.id, r.container, { ip: r.ip, aliases: r.aliases }));
    sendEmpty(res, 200);
  }),
  route('POST', '/networks/{id}/disconnect', async (req, res) => {
    const b = (await readJson(req.raw)) as { Container?: unknown; Force?: unknown } | null;
    if (typeof b?.Container !== 'string' || b.Container === '') throw badRequest('no container specified');
    const ctr = b.Container;
    const { disconnectContainer } = await import('../../engine/network/index.js');
    await mutate((ctx) => disconnectContainer(ctx, req.params.id, ctr, b.Force === true));
    sendEmpty(res, 200);
  }),
  route('POST', '/networks/prune', async (req, res) => {
    const keep = parseFilters(planPruneFilter, filterList(req.query));
    const { pruneNetworks } = await import('../../engine/network/index.js');
    const removed = await mutate((ctx) => pruneNetworks(ctx, keep));
    sendJson(res, 200, { NetworksDeleted: removed.length ? removed : null });
  }),
];

