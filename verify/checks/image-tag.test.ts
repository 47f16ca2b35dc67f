import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { imageTag } from './image-tag.js';

testCheck(imageTag, [
  {
    title: 'an untagged image',
    breakIt: (p) => p.set(APP, `${CONTAINER}.image`, 'registry.example.com:5000/billing/invoice-app'),
    expect: /"registry\.example\.com:5000\/billing\/invoice-app" must name an explicit tag/,
  },
  {
    title: 'the latest tag',
    breakIt: (p) => p.set(APP, `${CONTAINER}.image`, 'registry.example.com/billing/invoice-app:latest'),
    expect: /invoice-app:latest" must name an explicit tag other than latest/,
  },
]);
