// Every --ip refusal of `run` (texts, exit codes). Docker leaves a Created container behind each start-time failure.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'errors: run --ip taken, outside, on an automatic subnet, gateway/network/broadcast, malformed, on bridge',
  deliberate: ['D-failed-run-leaves-nothing', 'D-api-created-has-endpoints'],
  steps: [
    { do: '{cli} network create n' },
    { do: '{cli} network create --subnet 10.10.0.0/24 sn' },
    { do: '{cli} run -d --name i1 --network sn --ip 10.10.0.50 {img} sleep 600' },
    { do: '{cli} run -d --name i2 --network sn {img} sleep 600' },
    { run: '{cli} run -d --name i3 --network sn --ip 10.10.0.50 {img} sleep 600' },
    { run: '{cli} run -d --name i4 --network sn --ip 10.20.0.5 {img} sleep 600' },
    { run: '{cli} run -d --name i5 --network n --ip 172.18.0.77 {img} sleep 600' },
    { run: '{cli} run -d --name i7 --network sn --ip 10.10.0.1 {img} sleep 600' },
    { run: '{cli} run -d --name i8 --network sn --ip 10.10.0.0 {img} sleep 600' },
    { run: '{cli} run -d --name i9 --network sn --ip 10.10.0.255 {img} sleep 600' },
    { run: '{cli} run -d --name i10 --network sn --ip notanip {img} sleep 600' },
    { run: '{cli} run -d --name i11 --network sn --ip 10.10.0.2 {img} sleep 600' },
    { run: '{cli} run -d --name i12 --network bridge --ip 172.17.0.78 {img} sleep 600' },
    { run: `{cli} inspect -f '{{.NetworkSettings.Networks.sn.IPAddress}}' i1 i2` },
  ],
});
