// The entry cdk8s.yaml names under `validations:`. The cdk8s CLI loads local plugins with
// require(), which cannot load TypeScript, so this plain module bundles the plugin with esbuild.
import { URL } from 'node:url';
import { requireTypeScript } from '../run-ts.mjs';

export class ManifestVerification {
  async validate(context) {
    const plugin = await requireTypeScript(new URL('./cdk8s-validation.ts', import.meta.url));
    await new plugin.ManifestVerification().validate(context);
  }
}
