import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Validation, ValidationContext } from 'cdk8s-cli/plugins';
import { loadManifests } from './manifest.js';
import { verify } from './verify.js';

/**
 * The checks of `npm run verify` as a cdk8s validation plugin, so that `cdk8s synth` fails on a
 * violation. cdk8s hands over every manifest it finds below the output folder; each folder is one
 * environment (dist/, dist/prod/), verified on its own as `npm run verify` does.
 * verify/cdk8s-plugin.mjs loads this file for the cdk8s CLI, which can only require JavaScript.
 */
export class ManifestVerification implements Validation {
  async validate(context: ValidationContext): Promise<void> {
    const byFolder = new Map<string, string[]>();
    for (const file of context.manifests) byFolder.set(dirname(file), [...(byFolder.get(dirname(file)) ?? []), file]);
    let violations = 0;
    for (const [folder, files] of byFolder) {
      rmSync(join(folder, 'construct-metadata.json'), { force: true });
      const report = verify(loadManifests([...files].sort()));
      violations += report.violations.length;
      for (const violation of report.violations) {
        context.report.addViolation({
          ruleName: violation.check,
          recommendation: `${violation.object}${violation.path ? ` ${violation.path}` : ''}: ${violation.message}`,
          fix: `${report.checks.find((check) => check.name === violation.check)?.reason ?? 'See the waivers in docs/verification.md.'} Run npm run verify -- ${folder} for the full report.`,
          violatingResources: [
            {
              resourceName: violation.object,
              locations: violation.path ? [violation.path] : [],
              manifestPath: violation.source.replace(/#\d+$/, ''),
            },
          ],
        });
      }
    }
    context.report.submit(violations === 0 ? 'success' : 'failure');
  }
}
