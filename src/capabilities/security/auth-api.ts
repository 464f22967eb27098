// /api/v1/auth: dashboard log-in and log-out. These routes sit outside the authenticated API
// (one cannot need a session to get one); the session itself lives in an HttpOnly, SameSite=Strict
// cookie, and the CSRF token the dashboard must echo comes back in the JSON.

import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp, ApiDeps } from '../../api/http-api.js';
import { SESSION_COOKIE } from '../../api/bearer-auth.js';
import { ApiProblem } from '../../api/problem.js';
import { recordAudit } from './audit-log.js';
import { createLoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { createUserSession, endUserSession, resolveUserSession, ABSOLUTE_MS } from './user-sessions.js';
import { findUserByEmail, normalizeEmail, recordLogin } from './users.js';
import { USER_ROLES } from './tables.js';
import { PLATFORM_TENANT_ID } from '../tenants/tables.js';
import { getTenant } from '../tenants/tenant-store.js';

const Me = Type.Object({
  email: Type.String(),
  role: Type.Enum(USER_ROLES),
  tenant: Type.Object(
    { id: Type.Integer(), name: Type.String(), platform: Type.Boolean() },
    { description: 'The organisation the person belongs to; everything they see and change is its own' },
  ),
  csrfToken: Type.String({ description: 'Send it back in X-CSRF-Token on every state-changing request' }),
});

const Login = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

// Checked when the address is unknown, so an unknown address takes as long as a wrong password
// and the answer time does not tell which addresses have accounts.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashPassword('decoy password, never valid'));

const wrongCredentials = () => new ApiProblem(401, 'Unauthorized', 'Wrong e-mail address or password');

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    // The cookie outlives no session: the server ends idle ones sooner.
    maxAge: Math.floor(ABSOLUTE_MS / 1000),
  });
}

export async function authRoutes(app: ApiApp, deps: ApiDeps): Promise<void> {
  const { db, clock } = deps.services;
  const tenantOfUser = async (tenantId: number) => {
    const tenant = (await getTenant(db, tenantId))!;
    return { id: tenant.id, name: tenant.name, platform: tenant.id === PLATFORM_TENANT_ID };
  };
  const throttle = createLoginThrottle();
  // One address trying many e-mail addresses is slowed as well.
  const perAddress = createLoginThrottle({ maxFailures: 30, windowMs: 15 * 60_000, lockMs: 5 * 60_000 });

  app.post(
    '/login',
    { schema: { tags: ['auth'], summary: 'Log in to the dashboard (sets the session cookie)', security: [], body: Login, response: { 200: Me } } },
    async (request, reply) => {
      const email = normalizeEmail(request.body.email);
      const now = clock.now();
      const waitMs = Math.max(throttle.blockedFor(email, now.getTime()), perAddress.blockedFor(request.ip, now.getTime()));
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        reply.header('retry-after', String(seconds));
        throw new ApiProblem(429, 'Too Many Requests', `Too many wrong passwords for ${email} or from your address; try again in ${seconds} s`);
      }
      const user = await findUserByEmail(db, email);
      const valid = await verifyPassword(request.body.password, user?.passwordHash ?? (await decoy()));
      // Log-ins of existing people are audited, failed ones too (someone tried their password).
      const audit = (outcome: number) =>
        user ? recordAudit(db, { tenantId: user.tenantId, at: now, actorKind: 'user', actor: user.email, role: user.role, action: 'POST /api/v1/auth/login', target: user.email, outcome }) : undefined;
      if (!user || !valid) {
        throttle.failed(email, now.getTime());
        perAddress.failed(request.ip, now.getTime());
        await audit(401);
        throw wrongCredentials();
      }
      throttle.succeeded(email);
      const session = await createUserSession(db, user.id, now);
      await recordLogin(db, user.id, now);
      await audit(200);
      setSessionCookie(request, reply, session.token);
      return { email: user.email, role: user.role, tenant: await tenantOfUser(user.tenantId), csrfToken: session.csrfToken };
    },
  );

  app.get(
    '/session',
    { schema: { tags: ['auth'], summary: 'Who is logged in (401 when nobody)', security: [], response: { 200: Me } } },
    async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      const user = token ? await resolveUserSession(db, token, clock.now()) : undefined;
      if (!user) throw new ApiProblem(401, 'Unauthorized', 'Not logged in');
      return { email: user.email, role: user.role, tenant: await tenantOfUser(user.tenantId), csrfToken: user.csrfToken };
    },
  );

  app.post(
    '/logout',
    { schema: { tags: ['auth'], summary: 'Log out (ends the session, clears the cookie)', security: [], response: { 204: Type.Null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await endUserSession(db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
}
