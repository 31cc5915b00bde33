// Name resolution on a user network through 127.0.0.11 (issue 5). Only names that exist are asked (Docker
// forwards unknown names to the machine's resolver), and only for A records (busybox prints the A and AAAA
// answers in arrival order).
import { defineScenario } from '../scenario.js';

const PROBE = [
  '{cli} network create n',
  '{cli} run -d --name c1 --network n {img} sleep 60',
  '{cli} run -d --name c2 --network n {img} sleep 60',
  `{cli} exec c1 busybox nslookup -type=a c2 | grep -q 'Address: 172.18.0.3'`,
].join('\n');

export default defineScenario({
  title: 'dns: containers resolve each other by name, name.network and short id',
  pending: { issue: 'issue 5', probe: PROBE },
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} run -d --name c1 --network n {img} sleep 600' },
    { do: '{cli} run -d --name c2 --network n {img} sleep 600' },
    { run: '{cli} exec c1 busybox nslookup -type=a c2' },
    { run: '{cli} exec c1 busybox nslookup -type=a c2.n' },
    { run: `{cli} exec c1 busybox nslookup -type=a $({cli} inspect -f '{{.Id}}' c2 | cut -c1-12)` },
    { run: '{cli} exec c2 ping -c1 -W1 c1', compare: ['exit'] },
    { run: '{cli} exec c1 cat /etc/resolv.conf' },
  ],
});
