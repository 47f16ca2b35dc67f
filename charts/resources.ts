import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * CPU and memory of one container, as plain numbers so that a benchmark can write measured
 * values straight in. Each field left out keeps the construct's default.
 */
export interface ResourceSizes {
  /** CPU the scheduler reserves, in millicores. */
  readonly cpuRequestMillis?: number;
  /** CPU the container is throttled at, in millicores. */
  readonly cpuLimitMillis?: number;
  /** Memory the scheduler reserves, in MiB. */
  readonly memoryRequestMebibytes?: number;
  /** Memory above which the container is killed, in MiB. */
  readonly memoryLimitMebibytes?: number;
}

/** The sizes of `given`, falling back to `defaults` field by field, as cdk8s-plus resources. */
export function containerResources(
  given: ResourceSizes | undefined,
  defaults: Required<ResourceSizes>,
): kplus.ContainerResources {
  const sizes = { ...defaults, ...given };
  if (sizes.cpuLimitMillis < sizes.cpuRequestMillis || sizes.memoryLimitMebibytes < sizes.memoryRequestMebibytes) {
    throw new Error(
      `Resource limits (${sizes.cpuLimitMillis}m, ${sizes.memoryLimitMebibytes}Mi) are below the requests (${sizes.cpuRequestMillis}m, ${sizes.memoryRequestMebibytes}Mi). Raise the limits or lower the requests.`,
    );
  }
  return {
    cpu: { request: kplus.Cpu.millis(sizes.cpuRequestMillis), limit: kplus.Cpu.millis(sizes.cpuLimitMillis) },
    memory: {
      request: Size.mebibytes(sizes.memoryRequestMebibytes),
      limit: Size.mebibytes(sizes.memoryLimitMebibytes),
    },
  };
}
