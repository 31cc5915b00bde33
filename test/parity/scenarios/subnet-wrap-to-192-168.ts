// When every 172.x/16 pool is taken (here by three explicit supernets), automatic subnets come from
// 192.168.0.0/20, 192.168.16.0/20, …; freeing the 172 pools does not send the cursor back.
import { defineScenario } from '../scenario.js';

const SUB = `{cli} network inspect -f '{{.Name}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}'`;

export default defineScenario({
  title: 'subnets: with 172.18-31 taken, automatic networks come from 192.168.x/20, round-robin',
  steps: [
    { do: '{cli} network create --subnet 172.18.0.0/15 w1' },
    { do: '{cli} network create --subnet 172.20.0.0/14 w2' },
    { do: '{cli} network create --subnet 172.24.0.0/13 w3' },
    { do: '{cli} network create s1' },
    { do: '{cli} network create s2' },
    { run: `${SUB} w1 w2 w3 s1 s2` },
    { run: '{cli} network rm w1 w2 w3 s1' },
    { do: '{cli} network create s3' },
    { do: '{cli} network create --subnet 192.168.48.0/24 w4' },
    { do: '{cli} network create s4' },
    { run: `${SUB} s2 s3 s4` },
  ],
});
