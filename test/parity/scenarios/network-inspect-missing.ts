// network inspect of missing networks: what is printed, where, and the exit code.
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'errors: network inspect of a missing network, alone and beside a real one',
  steps: [
    { do: '{cli} network create --label env=prod mid' },
    { run: '{cli} network inspect nosuch' },
    { run: '{cli} network inspect mid nosuch' },
    { run: '{cli} network inspect nosuch mid' },
    { run: `{cli} network inspect -f '{{.Name}}' mid nosuch` },
    { run: `{cli} network inspect -f '{{.Name}}' $({cli} network inspect -f '{{.Id}}' mid | cut -c1-12)` },
    { run: '{cli} network inspect' },
  ],
});
