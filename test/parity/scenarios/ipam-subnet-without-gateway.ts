// --subnet without --gateway: Docker shows no Gateway key, yet the bridge and the containers use .1.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'ipam: --subnet without --gateway, --ip-range start, host bits kept verbatim',
  steps: [
    { run: '{cli} network create --subnet 10.10.0.0/16 --ip-range 10.10.5.0/24 --aux-address router=10.10.0.2 other' },
    { run: `{cli} network inspect -f '{{json .IPAM}}' other` },
    { run: `{cli} network inspect -f '{{.IPAM.Config}}' other` },
    { hostBridges: true },
    { do: '{cli} run -d --name o1 --network other {img} sleep 600' },
    { do: '{cli} run -d --name o2 --network other {img} sleep 600' },
    { containerInspect: 'o1', paths: ['NetworkSettings.Networks'] },
    { links: ['o1'] },
    { run: '{cli} network create --subnet 10.0.0.5/24 hostbits' },
    { run: `{cli} network inspect -f '{{json .IPAM.Config}}' hostbits` },
    { hostBridges: true },
  ],
});
