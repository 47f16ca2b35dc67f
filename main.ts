import { App, Chart } from 'cdk8s';

// The program `cdk8s synth` and `npm run synth` run: it writes the manifests into dist/.
const app = new App();
new Chart(app, 'platform');
app.synth();
