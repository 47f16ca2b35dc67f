import { perContainerCheck } from '../container-check.js';

export const readOnlyRootFilesystem = perContainerCheck(
  {
    name: 'read-only-root-filesystem',
    category: 'best-practice',
    reason: 'A writable root filesystem lets an intruder change binaries; write to mounted emptyDirs instead.',
    equivalents: ['kube-linter:no-read-only-root-fs', 'kube-score:container-security-context-readonlyrootfilesystem'],
  },
  (container, _workload, path) =>
    container.securityContext?.readOnlyRootFilesystem === true
      ? undefined
      : { path: `${path}.securityContext.readOnlyRootFilesystem`, message: 'readOnlyRootFilesystem must be true' },
);
