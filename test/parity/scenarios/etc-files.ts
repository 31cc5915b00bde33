// /etc/hosts, /etc/hostname and /etc/resolv.conf of containers on a user network, the default bridge .
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'etc files: hosts, hostname, resolv.conf (user network, --hostname, connect, bridge, --add-host/--dns)',
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} network create m' },
    { do: '{cli} run -d --name f1 --network n --hostname myhost {img} sleep 600' },
    { do: '{cli} run -d --name f2 --network n {img} sleep 600' },
    { run: '{cli} exec f2 cat /etc/hosts /etc/hostname /etc/resolv.conf' },
    { run: '{cli} exec f1 cat /etc/hosts /etc/hostname' },
    { run: '{cli} network connect m f2' },
    { run: '{cli} exec f2 cat /etc/hosts' },
    { do: '{cli} run -d --name g1 {img} sleep 600' },
    { run: '{cli} exec g1 cat /etc/hosts /etc/hostname /etc/resolv.conf' },
    { do: '{cli} run -d --name g3 --add-host foo.example:10.1.2.3 --dns 10.0.0.53 --dns-search ex.com {img} sleep 600' },
    { run: '{cli} exec g3 cat /etc/hosts /etc/resolv.conf' },
  ],
});
