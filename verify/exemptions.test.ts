import { testCheck, APP } from './testing/broken-cases.js';

const waive = (check: string) => `metadata.annotations["ignore-check.verify.billing/${check}"]`;

testCheck('exemptions', [
  {
    title: 'a waiver of a check that does not exist',
    breakIt: (p) => p.set(APP, waive('latest-tag'), 'we like it'),
    expect: /waives "latest-tag", which is not a check/,
  },
  {
    title: 'a waiver without a reason',
    breakIt: (p) =>
      p
        .set(APP, waive('image-pull-policy'), ' ')
        .set(APP, 'spec.template.spec.containers[0].imagePullPolicy', 'Always'),
    expect: /waiver of image-pull-policy gives no reason/,
  },
  {
    title: 'a waiver of what the API server rejects',
    breakIt: (p) => p.set(APP, waive('schema'), 'cdk8s emits it'),
    expect: /schema is what a cluster rejects: it cannot be waived/,
  },
  {
    title: 'a waiver that waives nothing',
    breakIt: (p) => p.set(APP, waive('image-tag'), 'pinned later'),
    expect: /waiver of image-tag is unused: remove it/,
  },
  {
    title: 'a malformed creates entry',
    breakIt: (p) =>
      p.set(
        'Job billing-system/secret-bootstrap',
        'metadata.annotations["verify.billing/created-at-deploy"]',
        'invoice-app-secrets',
      ),
    expect: /verify\.billing\/created-at-deploy entry "invoice-app-secrets" is not Kind\/name or Kind\/namespace\/name/,
  },
]);
