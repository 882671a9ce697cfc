import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, sendError } from './errors.js';
import type { Registry } from './registry.js';
import { deploymentOf } from './routes-exposed.js';

/**
 * `/projects/<p>/openapi.json` and `/projects/<p>/docs/`: the generated OpenAPI 3.1 document and an API reference
 * page (swagger-ui-dist, served from node_modules, never a CDN) to try the calls. Only the files listed here are
 * served: a name in the URL never becomes a path on disk.
 */

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const INIT_JS = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '../openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    validatorUrl: null,
  });
};
`;

function page(project: string): string {
  const title = project.replace(/[<>&"']/g, '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} API · Trellis</title>
<link rel="stylesheet" href="swagger-ui.css"><link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
</head><body><div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script><script src="swagger-ui-standalone-preset.js"></script><script src="init.js"></script>
</body></html>
`;
}

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

let swaggerDir: string | undefined;
const cache = new Map<string, Buffer>();

async function asset(name: string): Promise<Buffer> {
  let data = cache.get(name);
  if (!data) {
    swaggerDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    data = await readFile(join(swaggerDir, name));
    cache.set(name, data);
  }
  return data;
}

export function registerDocs(app: FastifyInstance, registry: Registry): void {
  const withDocs = (request: FastifyRequest) => {
    const dep = deploymentOf(registry, (request.params as Record<string, string>).project);
    if (!dep.docs) throw new HttpError(404, 'NOT_FOUND', `project ${dep.name} does not publish its API document (runtime.docs: false)`);
    request.routeLabel = `/projects/${dep.name}/docs`;
    return dep;
  };
  const handle = (fn: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> | unknown) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await fn(request, reply);
    } catch (e) {
      sendError(request, reply, e);
    }
    return reply;
  };

  app.get(
    '/projects/:project/openapi.json',
    handle((request, reply) => {
      const dep = withDocs(request);
      request.routeLabel = `/projects/${dep.name}/openapi.json`;
      reply.header('cache-control', 'no-cache').type('application/json; charset=utf-8').send(JSON.stringify(dep.openapi, null, 2));
    }),
  );
  app.get(
    '/projects/:project/docs',
    handle((request, reply) => {
      const dep = withDocs(request);
      reply.redirect(`/projects/${encodeURIComponent(dep.name)}/docs/`, 302);
    }),
  );
  app.get(
    '/projects/:project/docs/:file',
    handle(async (request, reply) => {
      const dep = withDocs(request);
      const file = (request.params as Record<string, string>).file ?? '';
      reply.header('x-content-type-options', 'nosniff');
      if (file === '' || file === 'index.html') return reply.header('content-security-policy', CSP).type('text/html; charset=utf-8').send(page(dep.name));
      if (file === 'init.js') return reply.type('text/javascript; charset=utf-8').send(INIT_JS);
      const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
      if (!type) throw new HttpError(404, 'NOT_FOUND', `no file "${file.slice(0, 100)}" in the API reference`);
      reply.header('cache-control', 'public, max-age=86400').type(type).send(await asset(file));
    }),
  );
}
