// inspect of containers (field set, NetworkSettings on a user network, bridge, host and none) and network
// inspect's Containers section.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'inspect: container field set and NetworkSettings (user, bridge, host, none); network Containers',
  deliberate: ['D-no-images', 'D-container-netns-name'],
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} run -d --name c1 --network n {img} sleep 600' },
    { do: '{cli} run -d --name b1 {img} sleep 600' },
    { do: '{cli} run -d --name h1 --network host {img} sleep 600' },
    { do: '{cli} run -d --name z1 --network none {img} sleep 600' },
    { containerInspect: 'c1', keysOnly: true, label: 'inspect c1: every field set' },
    { containerInspect: 'c1', paths: ['Name', 'Path', 'Args', 'State.Status', 'State.Running', 'HostConfig.NetworkMode', 'Config.Hostname', 'Config.Cmd', 'NetworkSettings'] },
    { containerInspect: 'b1', paths: ['NetworkSettings', 'HostConfig.NetworkMode'] },
    { containerInspect: 'h1', paths: ['NetworkSettings', 'HostConfig.NetworkMode'] },
    { containerInspect: 'z1', paths: ['NetworkSettings', 'HostConfig.NetworkMode'] },
    { links: ['z1'] },
    { networkInspect: 'n' },
    { networkInspect: 'bridge' },
    { run: `{cli} network inspect -f '{{range .Containers}}{{println .Name .IPv4Address .MacAddress .IPv6Address}}{{end}}' n bridge`, sortLines: true },
    { run: `{cli} network inspect -f '{{len .Containers}}' n bridge host none` },
  ],
});
