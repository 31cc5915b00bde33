// -p specifications refused by the client, with their texts (issue 4).
import { defineScenario } from '../scenario.js';

export default defineScenario({
  title: 'ports: malformed -p specifications',
  pending: { issue: 'issue 4', probe: '{cli} run -d --name probe -p 18080:80 {img} sleep 30\n{cli} port probe 80' },
  steps: [
    { run: '{cli} run -d --name e1 -p 80:80:80:80 {img} sleep 600' },
    { run: '{cli} run -d --name e2 -p abc {img} sleep 600' },
    { run: '{cli} run -d --name e4 -p 70000:80 {img} sleep 600' },
    { run: '{cli} run -d --name e5 -p 8000-8002:80-81 {img} sleep 600' },
    { run: '{cli} run -d --name e6 -p 80:70000 {img} sleep 600' },
    { run: '{cli} run -d --name e9 -p 8000:80/foo {img} sleep 600' },
    { run: '{cli} run -d --name e11 -p 300.1.1.1:8000:80 {img} sleep 600' },
    { run: '{cli} run -d --name e13 -p 8000: {img} sleep 600' },
    { run: '{cli} ps -a -q' },
  ],
});
