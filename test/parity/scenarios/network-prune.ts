// network prune: -f, the prompt on EOF / n / y, filters, unused networks only.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'network prune: -f, the prompt, --filter label',
  steps: [
    { do: 'for n in beta busy; do {cli} network create $n >/dev/null || exit 1; done' },
    { do: '{cli} run -d --name c1 --network busy {img} sleep 600' },
    { run: '{cli} network prune -f' },
    { run: `{cli} network ls --format '{{.Name}}'` },
    { do: 'for n in p1 p2; do {cli} network create $n >/dev/null || exit 1; done' },
    { run: '{cli} network prune' },
    { run: '{cli} network prune', input: 'n\n' },
    { run: '{cli} network prune', input: 'y\n', sortLines: true },
    { run: '{cli} network prune -f' },
    { do: '{cli} network create --label keep=1 p3' },
    { do: '{cli} network create p4' },
    { run: '{cli} network prune -f --filter label=keep' },
    { run: `{cli} network prune -f --filter 'label!=keep'` },
    { run: `{cli} network ls --format '{{.Name}}'` },
  ],
});
