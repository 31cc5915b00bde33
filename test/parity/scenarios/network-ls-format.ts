// network ls: columns, -q, --no-trunc, filters and --format.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'network ls: columns, -q, --no-trunc, filters, --format',
  steps: [
    { do: 'for n in zeta alpha; do {cli} network create $n >/dev/null || exit 1; done' },
    { do: '{cli} network create --label env=prod mid' },
    { do: '{cli} network create -d bridge --internal beta' },
    { run: '{cli} network rm zeta' },
    { run: '{cli} network ls' },
    { run: '{cli} network ls -q' },
    { run: '{cli} network ls --no-trunc' },
    { run: '{cli} network ls --filter name=alp' },
    { run: `{cli} network ls --filter 'name=^alpha$' --filter driver=bridge` },
    { run: '{cli} network ls --filter type=custom' },
    { run: '{cli} network ls --filter label=env=prod --filter label=env' },
    { run: '{cli} network ls --filter driver=null --filter scope=local' },
    { run: `{cli} network ls --format '{{.Name}} {{.Driver}} {{.Scope}} {{.IPv6}} {{.Internal}} [{{.Labels}}] {{.Label "env"}}'` },
    { run: `{cli} network ls --format '{{json .}}' --filter name=mid` },
    { run: `{cli} network ls --format 'table {{.Name}}\t{{.ID}}\t{{.IPv6}}\t{{.Internal}}\t{{.Labels}}'` },
  ],
});
