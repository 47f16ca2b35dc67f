import type { BrokenCase } from './broken-case.js';

const APP = 'Deployment invoices/invoice-app';
const POD = 'spec.template.spec';
const CONTAINER = `${POD}.containers[0]`;
const ENFORCED = /\(namespace invoices enforces restricted\)/;

function enforced(pattern: RegExp): RegExp {
  return new RegExp(`${pattern.source}.*${ENFORCED.source}`);
}

export const podSecurityCases: BrokenCase[] = [
  {
    check: 'pss-host-process',
    title: 'a Windows HostProcess pod',
    breakIt: (p) => p.set(APP, `${POD}.securityContext.windowsOptions`, { hostProcess: true }),
    expect: enforced(/hostProcess must not be true/),
  },
  {
    check: 'pss-host-namespaces',
    title: 'hostNetwork',
    breakIt: (p) => p.set(APP, `${POD}.hostNetwork`, true),
    expect: enforced(/hostNetwork must not be true/),
  },
  {
    check: 'pss-privileged',
    title: 'a privileged container',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.privileged`, true),
    expect: enforced(/privileged must not be true/),
  },
  {
    check: 'pss-capabilities-baseline',
    title: 'NET_ADMIN added',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.capabilities.add`, ['NET_ADMIN']),
    expect: enforced(/capability NET_ADMIN may not be added/),
  },
  {
    check: 'pss-host-path',
    title: 'the docker socket mounted',
    breakIt: (p) => p.set(APP, `${POD}.volumes[1]`, { name: 'docker', hostPath: { path: '/var/run/docker.sock' } }),
    expect: enforced(/hostPath \/var\/run\/docker\.sock is not allowed/),
  },
  {
    check: 'pss-host-ports',
    title: 'a hostPort',
    breakIt: (p) => p.set(APP, `${CONTAINER}.ports[0].hostPort`, 8000),
    expect: enforced(/hostPort 8000 is not allowed/),
  },
  {
    check: 'pss-apparmor',
    title: 'an unconfined AppArmor profile',
    breakIt: (p) =>
      p.set(
        APP,
        'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/invoice-app"]',
        'unconfined',
      ),
    expect: enforced(/AppArmor profile "unconfined" is not allowed/),
  },
  {
    check: 'pss-selinux',
    title: 'the super-privileged SELinux type',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.seLinuxOptions`, { type: 'spc_t' }),
    expect: enforced(/SELinux type "spc_t" is not allowed/),
  },
  {
    check: 'pss-proc-mount',
    title: 'an unmasked /proc',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.procMount`, 'Unmasked'),
    expect: enforced(/procMount "Unmasked" is not allowed/),
  },
  {
    check: 'pss-seccomp-baseline',
    title: 'an Unconfined seccomp profile',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.seccompProfile`, { type: 'Unconfined' }),
    expect: enforced(/seccomp profile must not be Unconfined/),
  },
  {
    check: 'pss-sysctls',
    title: 'an unsafe sysctl',
    breakIt: (p) => p.set(APP, `${POD}.securityContext.sysctls`, [{ name: 'kernel.msgmax', value: '65536' }]),
    expect: enforced(/sysctl kernel\.msgmax is not allowed/),
  },
  {
    check: 'pss-volume-types',
    title: 'an NFS volume',
    breakIt: (p) => p.set(APP, `${POD}.volumes[0]`, { name: 'tmp', nfs: { server: 'nfs.example.com', path: '/' } }),
    expect: enforced(/volume type nfs is not allowed/),
  },
  {
    check: 'pss-privilege-escalation',
    title: 'allowPrivilegeEscalation left unset',
    breakIt: (p) => p.remove(APP, `${CONTAINER}.securityContext.allowPrivilegeEscalation`),
    expect: enforced(/allowPrivilegeEscalation must be false/),
  },
  {
    check: 'pss-run-as-non-root',
    title: 'runAsNonRoot left unset',
    breakIt: (p) => p.remove(APP, `${POD}.securityContext.runAsNonRoot`),
    expect: enforced(/runAsNonRoot must be true/),
  },
  {
    check: 'pss-run-as-non-root',
    title: 'a container that opts out of the pod-level runAsNonRoot',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.runAsNonRoot`, false),
    expect: enforced(/runAsNonRoot must be true/),
  },
  {
    check: 'pss-run-as-non-root-user',
    title: 'runAsUser 0',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.runAsUser`, 0),
    expect: enforced(/runAsUser must not be 0/),
  },
  {
    check: 'pss-seccomp-restricted',
    title: 'no seccomp profile',
    breakIt: (p) => p.remove(APP, `${POD}.securityContext.seccompProfile`),
    expect: enforced(/seccompProfile\.type must be RuntimeDefault or Localhost/),
  },
  {
    check: 'pss-capabilities-restricted',
    title: 'capabilities not dropped',
    breakIt: (p) => p.remove(APP, `${CONTAINER}.securityContext.capabilities`),
    expect: enforced(/capabilities\.drop must include ALL/),
  },
  {
    check: 'pss-capabilities-restricted',
    title: 'a capability added back other than NET_BIND_SERVICE',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.capabilities.add`, ['CHOWN']),
    expect: enforced(/capability CHOWN may not be added/),
  },
];
