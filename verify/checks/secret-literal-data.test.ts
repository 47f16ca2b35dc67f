import { testCheck } from '../testing/broken-cases.js';
import { secretLiteralData } from './secret-literal-data.js';

const SECRET = `
apiVersion: v1
kind: Secret
metadata: { name: db-password, namespace: payments }
stringData: { password: hunter2 }
`;

testCheck(secretLiteralData, [
  {
    title: 'a Secret with a literal value',
    breakIt: (p) => p.add(SECRET),
    expect:
      /Secret payments\/db-password stringData: holds literal values \(password\) in stringData, made by no construct .*Fix: .*GeneratedSecret/,
  },
]);
