// network rm: echoes what was typed, goes on after a missing name, refuses predefined and busy networks.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'errors: network rm (missing, predefined, in use, several names, id prefix)',
  steps: [
    { do: '{cli} network create alpha' },
    { do: '{cli} network create alpha2' },
    { do: '{cli} network create --subnet 10.9.0.0/24 ab1' },
    { do: '{cli} network create busy' },
    { do: '{cli} run -d --name c1 --network busy {img} sleep 600' },
    { run: '{cli} network rm nosuch' },
    { run: '{cli} network rm bridge' },
    { run: '{cli} network rm busy' },
    { run: '{cli} network rm ab1 nosuch alpha' },
    { run: '{cli} network rm' },
    { run: `{cli} network rm $({cli} network inspect -f '{{.Id}}' alpha2 | cut -c1-12)` },
    { run: '{cli} network rm al' },
    { run: `{cli} network ls --format '{{.Name}}'` },
  ],
});
