// What network inspect shows for labels, driver options, --internal, --attachable, a named bridge and enable_icc.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'network inspect: labels, -o options, --internal, --attachable, IPAM Go formatting',
  steps: [
    { do: '{cli} network create --label a=b --label c lab' },
    { run: '{cli} network inspect lab' },
    { do: '{cli} network create -o foo=bar -o com.docker.network.driver.mtu=1400 opt' },
    { run: `{cli} network inspect -f '{{json .Options}}' opt` },
    { do: '{cli} network create --internal --attachable intnet' },
    { run: `{cli} network inspect -f '{{.Internal}} {{.Attachable}} {{json .Options}} {{json .IPAM}}' intnet` },
    { do: '{cli} network create -o com.docker.network.bridge.enable_icc=false noicc' },
    { run: `{cli} network inspect -f '{{json .Options}}' noicc` },
    { run: `{cli} network inspect -f '{{.IPAM.Config}}|{{.IPAM.Driver}}|{{.Scope}}|{{.Driver}}|{{.EnableIPv6}}|{{.Ingress}}|{{.ConfigOnly}}|{{json .ConfigFrom}}' lab` },
    { run: `{cli} network inspect -f '{{.Name}}' lab opt intnet noicc` },
    { hostBridges: true },
  ],
});
