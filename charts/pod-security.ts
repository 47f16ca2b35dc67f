import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

// The fixed UIDs (and GIDs) pods run as: above 10000, so none can collide with a user of the
// node should a container escape.

/** Our service images; their Dockerfiles create this user. */
export const SERVICE_USER_ID = 10001;
/**
 * Postgres, instead of the image's own `postgres` user (999): the official image runs initdb
 * under any UID (through nss_wrapper, in /tmp), and the server only needs to own its data
 * directory, which it creates.
 */
export const POSTGRES_USER_ID = 10002;
/** The platform's helper jobs (curl, the Node secret bootstrap), which need no user of their own. */
export const HELPER_USER_ID = 10003;

/** cdk8s-plus-27 2.9.5 lists no `ALL`; Kubernetes accepts it, and the restricted profile requires dropping it. */
const ALL_CAPABILITIES = 'ALL' as kplus.Capability;

/** The ids a pod runs as. */
export interface RunAs {
  /** The fixed non-root UID of the image's user. */
  readonly user: number;
  /** The primary GID. @default the UID */
  readonly group?: number;
  /** The group that owns writable volumes. @default the GID */
  readonly fsGroup?: number;
}

/**
 * The pod-level half of the restricted Pod Security profile: a fixed non-root user, and
 * volume ownership fixed only when it differs (a large database volume is not re-chowned
 * on every start).
 */
export function restrictedPodSecurity(runAs: RunAs): kplus.PodSecurityContextProps {
  const group = runAs.group ?? runAs.user;
  return {
    user: runAs.user,
    group,
    fsGroup: runAs.fsGroup ?? group,
    ensureNonRoot: true,
    fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
  };
}

/** The container-level half: read-only root filesystem, no privilege escalation, every capability dropped. */
export function restrictedContainerSecurity(runAs: RunAs): kplus.ContainerSecurityContextProps {
  return {
    user: runAs.user,
    group: runAs.group ?? runAs.user,
    ensureNonRoot: true,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: [ALL_CAPABILITIES] },
  };
}

/** A workload whose pod template gets the RuntimeDefault seccomp profile. */
export type PodTemplateOwner = kplus.Deployment | kplus.StatefulSet | kplus.Job | kplus.CronJob;

/**
 * cdk8s-plus-27 cannot express a seccomp profile, which the restricted profile requires, so
 * it is patched into the pod template's security context (which cdk8s-plus always emits).
 */
export function addRuntimeDefaultSeccomp(workload: PodTemplateOwner): void {
  const podSpec = workload instanceof kplus.CronJob ? '/spec/jobTemplate/spec/template/spec' : '/spec/template/spec';
  ApiObject.of(workload).addJsonPatch(
    JsonPatch.add(`${podSpec}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
  );
}
