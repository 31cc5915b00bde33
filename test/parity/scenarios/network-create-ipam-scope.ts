// --ipam-driver, --ipam-opt and --scope of network create: the default IPAM driver by any of its
// names, its options shown in IPAM.Options, Docker's "null" driver and the scopes a host without
// swarm refuses. (`--ipam-driver nosuch` is left out, as `--driver foo` is: dockerd looks for a
// plugin first; pont says `plugin "nosuch" not found` at once. `--ipam-opt =x` too: pont refuses
// an empty key, D-strict-input.)
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'network create: --ipam-driver, --ipam-opt, --scope',
  steps: [
    { run: '{cli} network create --ipam-driver default --ipam-opt c=d --ipam-opt a=b --scope local n1' },
    { run: `{cli} network inspect -f '{{json .IPAM}} {{.Scope}}' n1` },
    { run: `{cli} network inspect -f '{{.IPAM.Options}}' n1` },
    { run: '{cli} network create --ipam-opt x n2' },
    { run: `{cli} network inspect -f '{{json .IPAM.Options}}' n2` },
    { run: `{cli} network create --ipam-driver '' --scope '' n3` },
    { run: `{cli} network inspect -f '{{json .IPAM}} {{.Scope}}' n3` },
    { run: '{cli} network create --ipam-driver null n4' },
    { run: '{cli} network create --scope swarm n5' },
    { run: '{cli} network create --scope global n6' },
    { run: '{cli} network create --scope LOCAL n7' },
    { run: `{cli} network ls --format '{{.Name}} {{.Scope}}'` },
  ],
});
