import { z } from 'zod';

/** What the studio's Project > Export bundle… gets back. */
export const bundleExportResultSchema = z.object({
  /** the absolute path of the written .trellis file */
  file: z.string(),
  bytes: z.number(),
  /** project files in the bundle (manifest.json not counted) */
  files: z.number(),
  /** SHA-256 (hex) of the .trellis file itself */
  sha256: z.string(),
  name: z.string(),
  version: z.string(),
  /** ${env:NAME} names the server must set */
  env: z.array(z.string()),
  /** files left out, with the reason (symbolic links, special files) */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});

/** What the studio's Project > Deploy to server… gets back: what the runtime now serves. */
export const bundleDeployResultSchema = z.object({
  /** the deployed project's name */
  deployed: z.string(),
  version: z.string(),
  /** the version it replaced, when the server already served this project */
  replaced: z.string().nullable(),
  /** the runtime's origin, e.g. http://10.0.0.5:8080 */
  server: z.string(),
  /** exposed sequences and transactions (`<connector>.<transaction>`) */
  sequences: z.array(z.string()),
  transactions: z.array(z.string()),
  /** number of mapping routes, and the base path they are served under */
  mappings: z.number(),
  mappingBase: z.string(),
  /** the deployed project's OpenAPI document on the server */
  openapi: z.string(),
  /** ${env:NAME} names the server does not set (calls through those connectors fail until it does) */
  missingEnv: z.array(z.string()),
});

/** With unsaved edits, an export refuses ('refuse', the default) or takes the files as saved on disk ('saved'). */
export const unsavedPolicySchema = z.enum(['refuse', 'saved']);
