// Deployable bundles (DESIGN.md, "Bundles"): export a project as one verified archive, open it again.
export { exportBundle, bundleFiles, type ExportOptions, type ExportResult } from './export.js';
export { openBundle, isBundleFile, MAX_BUNDLE_BYTES, type OpenedBundle } from './load.js';
export { manifestSchema, parseManifest, TRELLIS_VERSION, BUNDLE_FORMAT, BUNDLE_EXT, MANIFEST_FILE, type Manifest } from './manifest.js';
export { literalSecrets, type SecretFinding } from './secrets.js';
