// Every network create refusal Docker and pont share, with their exact texts and exit codes. (`--driver none`
// and `--driver foo` are left out: dockerd looks for a plugin for 15 s before saying `plugin "none" not found`.)
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'errors: network create (duplicates, drivers, subnets, gateways, ranges, overlaps, options); names are not validated',
  steps: [
    { do: '{cli} network create dup' },
    { run: '{cli} network create dup' },
    { run: '{cli} network create --driver host x' },
    { run: '{cli} network create --subnet 10.0.0.0/33 x' },
    { run: '{cli} network create --subnet 10.1.0.0/24 --gateway 10.2.0.1 x' },
    { run: '{cli} network create --gateway 10.2.0.1 x' },
    { run: '{cli} network create --subnet 10.1.0.0/24 --ip-range 10.3.0.0/25 x' },
    { run: '{cli} network create --subnet 10.1.0.0/24 --aux-address a=10.9.9.9 x' },
    { run: '{cli} network create --subnet 10.1.0.0/24 --subnet 10.1.1.0/24 x' },
    { do: '{cli} network create --subnet 10.5.0.0/16 ov1' },
    { run: '{cli} network create --subnet 10.5.3.0/24 x' },
    { run: '{cli} network create --subnet 172.17.5.0/24 x' },
    { run: '{cli} network create bridge' },
    { run: '{cli} network create -o com.docker.network.driver.mtu=abc x' },
    { run: '{cli} network create -o com.docker.network.bridge.enable_icc=maybe x' },
    { do: '{cli} network create -o com.docker.network.bridge.name=foo brnamed' },
    { run: '{cli} network create -o com.docker.network.bridge.name=foo brnamed2' },
    { run: `{cli} network create 'bad name'` },
    { run: '{cli} network create a' },
    { run: '{cli} network create -- -x' },
    { run: `{cli} network ls --format '{{.Name}}|{{.Driver}}'` },
  ],
});
