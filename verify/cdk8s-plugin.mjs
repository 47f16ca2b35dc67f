// The entry cdk8s.yaml names under `validations:`. The cdk8s CLI loads local plugins with
// require(), which cannot load TypeScript, so this plain module loads the plugin through tsx.
import { tsImport } from 'tsx/esm/api';

export class ManifestVerification {
  async validate(context) {
    const plugin = await tsImport('./cdk8s-validation.ts', import.meta.url);
    await new plugin.ManifestVerification().validate(context);
  }
}
