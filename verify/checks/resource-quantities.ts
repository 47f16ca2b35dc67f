import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { parseQuantity } from '../../charts/quantity.js';
import { containersOf } from '../workload.js';

export const resourceQuantities: Check = {
  name: 'resource-quantities',
  category: 'api-server',
  reason: 'Resource requests and limits must be valid quantities, and a request may not exceed its limit.',
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      containersOf(workload).flatMap(({ container, path }) => {
        const found: Finding[] = [];
        const { requests = {}, limits = {} } = container.resources ?? {};
        for (const [group, values] of [
          ['requests', requests],
          ['limits', limits],
        ] as const) {
          for (const [resource, quantity] of Object.entries(values)) {
            if (parseQuantity(quantity) === undefined) {
              found.push(
                finding(
                  workload.manifest,
                  `${path}.resources.${group}.${resource}`,
                  `"${quantity}" is not a valid quantity`,
                ),
              );
            }
          }
        }
        for (const [resource, request] of Object.entries(requests)) {
          const limit = limits[resource];
          if (limit === undefined) continue;
          const [r, l] = [parseQuantity(request), parseQuantity(limit)];
          if (r !== undefined && l !== undefined && r > l) {
            found.push(
              finding(
                workload.manifest,
                `${path}.resources.requests.${resource}`,
                `request ${request} is more than the limit ${limit}`,
              ),
            );
          }
        }
        return found;
      }),
    );
  },
};
