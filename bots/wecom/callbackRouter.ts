import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import type { Logger } from '../../infra/logger';
import { assertDeclaredLengthWithin } from '../../infra/declaredLength';
import { assertFresh, openCallbackBody, openSealed, signedParams, type CallbackSecrets } from './callbackEnvelope';
import { CallbackRejected } from './callbackErrors';
import { parseCallbackQuery } from './callbackQuery';
import type { InboundAcceptor } from './inboundPorts';
import { normaliseInbound } from './inboundNormalise';
import { parseCallbackXml } from './xml';

export interface WecomCallbackConfig extends CallbackSecrets {
  /** WECOM_CALLBACK_MAX_BYTES */
  maxBodyBytes: number;
  /** WECOM_TIMESTAMP_WINDOW_SECONDS */
  timestampWindowSeconds: number;
  /** Mount path; defaults to /wecom/callback. */
  path?: string;
  /** WECOM_REFUSAL_DELAY_MS: how long a refused callback waits for its answer (default 0, none). */
  refusalDelayMs?: number;
}

/** Refusals held back at once, beyond which they are answered at once (a held one costs a socket, not CPU). */
const MAX_HELD_REFUSALS = 256;

export interface WecomCallbackDeps {
  config: WecomCallbackConfig;
  logger: Logger;
  /** Durable, idempotent hand-off of accepted events (see jobs/inbound). */
  inbound: InboundAcceptor;
  now?: () => number;
}

/** GET (URL verification) and POST (messages and events) on the WeChat Work callback URL. */
export function createWecomCallbackRouter(deps: WecomCallbackDeps): Router {
  const { config, inbound } = deps;
  const logger = deps.logger.child({ component: 'wecom-callback' });
  const now = deps.now ?? Date.now;
  const path = config.path ?? '/wecom/callback';
  const router = new Router();

  const refused = rejections(logger, config.refusalDelayMs ?? 0);
  router.get(path, refused, (ctx) => {
    const query = parseCallbackQuery(ctx.querystring);
    const params = signedParams(query);
    const echostr = query.get('echostr');
    if (!echostr) throw new CallbackRejected('missing_params', 400, 'echostr is required');
    // No timestamp window here: WeChat Work sends this once when an admin saves the URL, and a
    // replay only reveals the random echostr back to whoever already holds it.
    ctx.type = 'text/plain';
    ctx.body = openSealed(config, params, echostr);
    logger.info('callback URL verified');
  });

  router.post(path, refused, async (ctx) => {
    const params = signedParams(parseCallbackQuery(ctx.querystring));
    assertFresh(params.timestamp, now(), config.timestampWindowSeconds);
    const body = await readBody(ctx, config.maxBodyBytes);
    const event = normaliseInbound(parseCallbackXml(openCallbackBody(config, params, body)));
    const outcome = await inbound.accept(event);
    if (event.type === 'unknown') {
      logger.info({ msgType: event.msgType, event: event.event, key: event.dedupeKey }, 'unknown callback type acknowledged');
    } else if (outcome === 'duplicate') {
      logger.info({ type: event.type, key: event.dedupeKey }, 'callback retry ignored');
    }
    // WeChat Work asks for HTTP 200 with an empty body ("success" is the Official Account convention).
    ctx.status = 200;
    ctx.body = '';
  });

  return router;
}

async function readBody(ctx: Context, limit: number): Promise<string> {
  assertDeclaredLengthWithin(ctx, limit, () => tooLarge(limit));
  try {
    return await getRawBody(ctx.req, { limit, encoding: 'utf8' });
  } catch (error) {
    if (isRawBodyError(error, 'entity.too.large')) throw tooLarge(limit);
    throw new CallbackRejected('body_unreadable', 400, 'request body could not be read');
  }
}

function tooLarge(limit: number): CallbackRejected {
  return new CallbackRejected('body_too_large', 413, `body exceeds ${limit} bytes`);
}

function isRawBodyError(error: unknown, type: string): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}

/**
 * One structured warn line per refused callback, then a bare 4xx; WeChat Work reads no body.
 * The answer waits `delayMs` first: WeChat Work's own callbacks are signed and never wait, while a
 * sender of forged or oversized bodies that waits for each answer is slowed to one try per delay,
 * so a few of them cannot keep the event loop busy with connections (issue 14, `bench:abuse`).
 */
function rejections(logger: Logger, delayMs: number): Middleware {
  let held = 0;
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof CallbackRejected)) throw error;
      logger.warn({ reason: error.reason, status: error.status, method: ctx.method, ip: ctx.ip }, `wecom callback rejected: ${error.message}`);
      if (delayMs > 0 && held < MAX_HELD_REFUSALS) {
        held++;
        try {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        } finally {
          held--;
        }
      }
      ctx.status = error.status;
      ctx.type = 'text/plain';
      ctx.body = error.reason;
      // Leaves the unread rest of an oversized body to be discarded instead of kept alive.
      if (error.reason === 'body_too_large') ctx.set('Connection', 'close');
    }
  };
}
