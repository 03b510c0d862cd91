// The configuration `npm run dist:win` hands electron-builder: build/electron-builder.yml
// (the app's files and the installer), plus what only the environment may decide:
//   - signing: CSC_LINK / CSC_KEY_PASSWORD (a .pfx) are read by electron-builder itself;
//     Azure Trusted Signing is used when AZURE_TRUSTED_SIGNING_ENDPOINT,
//     AZURE_TRUSTED_SIGNING_ACCOUNT and AZURE_TRUSTED_SIGNING_PROFILE are set (with the
//     AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET of the signing identity);
//     with neither, the installer is unsigned;
//   - updates: SKELDIR_UPDATE_URL (a folder served over HTTPS holding latest.yml and the
//     installers) becomes the generic publish feed electron-updater reads; without it the
//     app has no update channel and never checks.
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

function config(env = process.env) {
  const base = YAML.parse(fs.readFileSync(path.join(__dirname, 'electron-builder.yml'), 'utf8'));
  const win = { ...base.win };
  if (env.AZURE_TRUSTED_SIGNING_ENDPOINT && env.AZURE_TRUSTED_SIGNING_ACCOUNT && env.AZURE_TRUSTED_SIGNING_PROFILE) {
    win.azureSignOptions = {
      endpoint: env.AZURE_TRUSTED_SIGNING_ENDPOINT,
      codeSigningAccountName: env.AZURE_TRUSTED_SIGNING_ACCOUNT,
      certificateProfileName: env.AZURE_TRUSTED_SIGNING_PROFILE,
      publisherName: env.AZURE_TRUSTED_SIGNING_PUBLISHER || 'Skeldir',
    };
  }
  const publish = env.SKELDIR_UPDATE_URL ? [{ provider: 'generic', url: env.SKELDIR_UPDATE_URL }] : null;
  return { ...base, win, publish };
}

module.exports = config();
module.exports.config = config;
