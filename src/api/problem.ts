// Errors as RFC 9457 problem details (application/problem+json) with a detail a person can act on.

import type { FastifyReply } from 'fastify';

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

export const notFound = (detail: string) => new ApiProblem(404, 'Not Found', detail);
export const conflict = (detail: string, extra?: Record<string, unknown>) => new ApiProblem(409, 'Conflict', detail, extra);
export const badRequest = (detail: string, extra?: Record<string, unknown>) => new ApiProblem(400, 'Bad Request', detail, extra);

export function sendProblem(reply: FastifyReply, problem: ApiProblem): FastifyReply {
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: problem.title, status: problem.status, detail: problem.detail, ...problem.extra });
}
