// The synth program of `npm run synth` and `npx cdk8s synth`: a thin command line over the
// library's `synthesize` (charts/synthesis.ts). dev goes to dist/ itself, so `kubectl apply -f dist`
// (which does not recurse) deploys dev to an empty kind or minikube cluster; prod goes to dist/prod/.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkEnvironment, ENVIRONMENTS, synthesize } from './charts/synthesis.js';

const USAGE = `Usage: npm run synth [-- options]

Writes the Kubernetes manifests: dev into the output folder, other environments below it.

Options:
  --env <name>       only this environment (${Object.keys(ENVIRONMENTS).join(', ')}); also PLATFORM_ENV
                     (npx cdk8s synth writes PLATFORM_ENV, dev when unset: see cdk8s.yaml)
  --registry <host>  the registry of our images, e.g. ghcr.io/acme; also IMAGE_REGISTRY
  --tag <tag>        the image tag, never latest; also IMAGE_TAG (default: the package version)
  --outdir <folder>  the output folder; also CDK8S_OUTDIR (default: dist)
  --help             this text

A bad option changes nothing: every environment is synthesized and validated before any file
in the output folder is replaced.
`;

/** Runs the command line; returns the exit code. */
export function main(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const { values } = parseArgs({
    args,
    options: {
      env: { type: 'string' },
      registry: { type: 'string' },
      tag: { type: 'string' },
      outdir: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const name = values.env ?? (env.PLATFORM_ENV || undefined);
  const written = synthesize({
    outdir: values.outdir ?? env.CDK8S_OUTDIR ?? 'dist',
    env: name === undefined ? undefined : checkEnvironment(name),
    registry: values.registry ?? (env.IMAGE_REGISTRY || undefined),
    tag: values.tag ?? (env.IMAGE_TAG || undefined),
  });
  process.stdout.write(`manifests written to ${written.join(', ')}\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
