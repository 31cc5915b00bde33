// --ip on a network with a user subnet, MAC derived from the address, --mac-address.
import { defineScenario } from '../scenario.js';

const ADDR = `{cli} inspect -f '{{.Name}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}}/{{$v.IPPrefixLen}} mac={{$v.MacAddress}} {{end}}'`;

export default defineScenario({
  title: 'addresses: --ip, MAC = 02:42 + IPv4 bytes, --mac-address',
  steps: [
    { do: '{cli} network create --subnet 10.10.0.0/24 sn' },
    { run: '{cli} run -d --name i1 --network sn --ip 10.10.0.50 {img} sleep 600', compare: ['stderr', 'exit'] },
    { do: '{cli} run -d --name i2 --network sn {img} sleep 600' },
    { do: '{cli} run -d --name m1 --network sn --ip 10.10.0.200 {img} sleep 600' },
    { run: '{cli} run -d --name m2 --network sn --mac-address 02:42:de:ad:be:ef {img} sleep 600', compare: ['stderr', 'exit'] },
    { run: `${ADDR} i1 i2 m1 m2` },
    { containerInspect: 'i1', paths: ['NetworkSettings.Networks'] },
    { links: ['i1', 'm1', 'm2'] },
  ],
});
