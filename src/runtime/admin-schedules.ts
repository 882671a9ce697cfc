import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from './auth.js';
import { HttpError, sendError } from './errors.js';
import { validName } from './routes-exposed.js';
import type { Scheduler } from './scheduler.js';

/**
 * The scheduler on the admin API (same token as the rest of /admin):
 *   GET  /admin/schedules                          every job of the served projects with its next and last run
 *   POST /admin/schedules/<project>/<job>/run       runs a job now (409 while it runs without allowOverlap)
 */
export function registerScheduleAdmin(app: FastifyInstance, scheduler: Scheduler, token: string): void {
  void app.register(async (admin) => {
    admin.addHook('onRequest', async (request, reply) => {
      request.routeLabel = '/admin/schedules';
      const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
      if (!m || !sameSecret(m[1]!, token)) {
        sendError(request, reply, new HttpError(401, 'UNAUTHORIZED', 'the admin API needs Authorization: Bearer <TRELLIS_ADMIN_TOKEN>', { headers: { 'WWW-Authenticate': 'Bearer' } }));
        return reply;
      }
    });
    admin.get('/admin/schedules', async (_request, reply) => reply.send({ jobs: scheduler.list() }));
    admin.post('/admin/schedules/:project/:job/run', async (request: FastifyRequest, reply: FastifyReply) => {
      const { project, job } = request.params as { project: string; job: string };
      try {
        if (!validName(project) || !validName(job)) throw new HttpError(404, 'NOT_FOUND', 'no such scheduled job');
        return reply.send(await scheduler.runNow(project, job));
      } catch (e) {
        sendError(request, reply, e);
        return reply;
      }
    });
  });
}
