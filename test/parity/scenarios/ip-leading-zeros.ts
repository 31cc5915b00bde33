// Addresses with a leading zero, which Go's net.ParseIP (and so Docker 20.10) refuses where
// inet_aton would read 010 as octal 8; and a prefix length with one (`/016`), which Go's
// ParseCIDR takes. Each flag's text is the client's or the daemon's, as Docker words it.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'errors: leading zeros in --subnet, --gateway, --ip-range, --aux-address, run --ip and connect --ip; /016 is taken',
  steps: [
    { run: '{cli} network create --subnet 010.20.0.0/16 z1' },
    { run: '{cli} network create --subnet 010.20.0.0/16 --gateway 10.20.0.1 z1' },
    { run: '{cli} network create --subnet 10.21.0.0/16 --gateway 10.21.0.01 z2' },
    { run: '{cli} network create --subnet 10.21.0.0/16 --gateway 10.21.00.1/16 z2' },
    { run: '{cli} network create --subnet 10.21.0.0/16 --gateway 10.21.0.1/16 z2' },
    { run: '{cli} network create --subnet 10.22.0.0/16 --ip-range 10.22.01.0/24 z3' },
    { run: '{cli} network create --subnet 10.22.0.0/16 --ip-range 10.22.0.5 z3' },
    { run: '{cli} network create --subnet 10.23.0.0/16 --aux-address a=10.23.0.05 z4' },
    { run: '{cli} network create --subnet 10.23.0.0/16 --aux-address a=10.23.0.05/16 z4' },
    { run: '{cli} network create --subnet 10.23.0.0/16 --aux-address a=10.23.0.5/16 z4' },
    { do: '{cli} network create --subnet 10.24.0.0/016 --ip-range 10.24.1.0/024 z5' },
    { run: `{cli} network inspect z5 --format '{{json .IPAM.Config}}'` },
    { do: '{cli} network create --subnet 10.25.0.0/16 z6' },
    { run: '{cli} run -d --name zc1 --network z6 --ip 10.25.0.05 {img} sleep 600' },
    { do: '{cli} run -d --name zc2 --network z5 {img} sleep 600' },
    { run: `{cli} inspect -f '{{.NetworkSettings.Networks.z5.IPAddress}}/{{.NetworkSettings.Networks.z5.IPPrefixLen}}' zc2` },
    { run: '{cli} network connect --ip 10.25.0.07 z6 zc2' },
    // the endpoint's settings before a second endpoint on the network
    { run: '{cli} network connect --ip 10.24.0.07 z5 zc2' },
    { run: '{cli} network connect --ip 10.24.0.9 z5 zc2' },
    // the daemon's order: gateway, range, overlap, aux
    { run: '{cli} network create --subnet 10.27.0.0/16 --ip-range 10.27.0.5 --gateway 10.27.0.1/16 z8' },
    { run: '{cli} network create --subnet 10.25.1.0/24 --ip-range 10.25.1.5 z8' },
    { run: '{cli} network create --subnet 10.25.1.0/24 --aux-address a=10.25.1.5/16 z8' },
    { run: '{cli} network connect --ip garbage z6 zc2' },
    { do: '{cli} network create z7' },
    { run: '{cli} network connect --ip 172.30.0.09 z7 zc2' },
    { run: '{cli} network connect --ip 172.17.0.09 bridge zc2' },
    { run: '{cli} run -d --name zc3 --network z7 --ip 172.30.0.09 {img} sleep 600' },
    { run: `{cli} network ls --format '{{.Name}}'` },
  ],
});
