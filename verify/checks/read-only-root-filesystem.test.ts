import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { readOnlyRootFilesystem } from './read-only-root-filesystem.js';

testCheck(readOnlyRootFilesystem, [
  {
    title: 'a writable root filesystem',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.readOnlyRootFilesystem`, false),
    expect: /readOnlyRootFilesystem must be true/,
  },
]);
