import { z } from 'zod';

/** The public WeChat Work API host; private deployments and tests point WECOM_API_BASE elsewhere. */
export const PUBLIC_WECOM_API_BASE = 'https://qyapi.weixin.qq.com';
export const PUBLIC_WECHAT_API_BASE = 'https://api.weixin.qq.com';
/** Where WeChat Work's 网页授权 (inside the client) and 扫码登录 (desktop) pages live. */
export const PUBLIC_WECOM_OAUTH_BASE = 'https://open.weixin.qq.com';
export const PUBLIC_WECOM_SSO_BASE = 'https://login.work.weixin.qq.com';

function isPlainHttpBase(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return /^https?:$/.test(url.protocol) && !url.search && !url.hash && !url.username && !url.password;
}

const optionalString = z.string().trim().min(1).optional();
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

export interface RedisNodeAddress {
  host: string;
  port: number;
}

function parseNodeList(value: string): RedisNodeAddress[] {
  return value.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

/**
 * Every environment variable the service reads. Names are fixed: later work and deployments rely on them.
 * An empty string counts as unset, so `FOO= npm start` behaves like not setting FOO.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ROLE: z.enum(['web', 'worker', 'all']).default('all'),
    PORT: port.default(3000),
    /** Unset: 127.0.0.1 in sandbox mode (no WECOM_CORP_ID), 0.0.0.0 otherwise. */
    HOST: optionalString,
    /**
     * Where residents reach this service (scheme, host, optional path prefix); photo links start with it, never with
     * the request's Host header. Unset in sandbox mode: the address the server listens on, e.g. http://127.0.0.1:3000.
     */
    PUBLIC_BASE_URL: z
      .string()
      .url()
      .refine(isPlainHttpBase, 'must be an http(s) URL without query, fragment or credentials, e.g. https://whistle.example.gov.cn')
      .transform((v) => v.replace(/\/+$/, ''))
      .optional(),
    /** Behind a reverse proxy: trust X-Forwarded-For for client IPs (per-IP rate limits) and X-Forwarded-Proto. */
    TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://'),
    /**
     * With REDIS_CLUSTER_NODES: one startup node of the cluster, and the scheme (rediss:// for TLS) and credentials of every node.
     * With REDIS_SENTINELS: the scheme, credentials and database of the master (the sentinels say where it is).
     */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://'),
    /** Set: Redis is a Redis Cluster; more startup nodes beside REDIS_URL's, as host:port,host:port. */
    REDIS_CLUSTER_NODES: z
      .string()
      .trim()
      .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'must be host:port,host:port (more startup nodes of the Redis Cluster)')
      .transform(parseNodeList)
      .optional(),
    /** Set: Redis is a master watched by Redis Sentinel; the sentinels as host:port,host:port. */
    REDIS_SENTINELS: z
      .string()
      .trim()
      .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'must be host:port,host:port (the Redis Sentinels)')
      .transform(parseNodeList)
      .optional(),
    /** The master's name in the sentinels' configuration (`sentinel monitor <name> …`). */
    REDIS_SENTINEL_MASTER: z.string().trim().min(1).default('mymaster'),
    /**
     * Prefix of every Redis key (BullMQ's and ours). Default `whistlebot`; on a Redis Cluster `{whistlebot}`, and it
     * must be a hash tag there: our Lua scripts and BullMQ's touch several keys at once, which a cluster allows only in one slot.
     */
    QUEUE_PREFIX: z.string().regex(/^([a-z0-9_-]+|\{[a-z0-9_-]+\})$/i, 'must be letters, digits, _ and - (in {braces} for a hash tag)').optional(),
    SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
    /**
     * How long a worker's hold on a queued job lasts unless renewed (BullMQ's lockDuration; the stalled-job check runs
     * as often): the jobs of a worker that died (SIGKILL, a lost machine) are taken over by another within about twice this.
     * Also the age after which a dead writer's case-version claim is taken as stale (app/compose.ts).
     */
    QUEUE_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
    /** Cases the default store (FerretDB v1) is rated for; warnings from 80% (README: "How far one machine goes"). Not applied to MongoDB. */
    STORE_CASE_CEILING: positiveInt.default(200_000),
    DISTRICT_CONFIG: z.string().default('config/district.demo.json'),
    /** How often each process looks for a newer parser model of its district (retrained by parser:train). */
    PARSER_MODEL_POLL_SECONDS: positiveInt.default(30),
    SLA_CONFIG: z.string().default('config/sla.json'),
    /** Who leads and assists per category and street, the duplicate window, what the community handles. */
    ROUTING_CONFIG: z.string().default('config/routing.json'),
    CONVERSATION_CONFIG: z.string().default('config/conversation.json'),
    /** The mini-program's settings: photo limits, sessions, subscribe-message templates (residents' and volunteers'). */
    MP_CONFIG: z.string().default('config/mp.json'),
    MEDIA_DIR: z.string().default('.data/media'),
    WECOM_CORP_ID: optionalString,
    WECOM_AGENT_ID: z.coerce.number().int().positive().optional(),
    WECOM_SECRET: optionalString,
    WECOM_TOKEN: optionalString,
    WECOM_ENCODING_AES_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}$/, 'must be the 43-character EncodingAESKey from the WeChat Work admin console')
      .optional(),
    /** The 通讯录同步 secret (管理工具 → 通讯录同步). Set: the organisation's people come from WeChat Work's directory. Unset: from DISTRICT_CONFIG. */
    WECOM_DIRECTORY_SECRET: optionalString,
    /** How WeChat Work departments map onto DISTRICT_CONFIG's departments, streets, communities and grids (read only with WECOM_DIRECTORY_SECRET). */
    DIRECTORY_CONFIG: z.string().default('config/directory.demo.json'),
    /** When the full directory resync runs (cron, in DIRECTORY_SYNC_TZ); change_contact callbacks keep it current in between. */
    DIRECTORY_SYNC_CRON: z.string().trim().regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron pattern, e.g. "30 2 * * *"').default('30 2 * * *'),
    DIRECTORY_SYNC_TZ: z.string().default('Asia/Shanghai'),
    WECOM_API_BASE: z.string().url().default(PUBLIC_WECOM_API_BASE),
    WECOM_OAUTH_BASE: z.string().url().default(PUBLIC_WECOM_OAUTH_BASE),
    WECOM_SSO_BASE: z.string().url().default(PUBLIC_WECOM_SSO_BASE),
    WECOM_CALLBACK_MAX_BYTES: positiveInt.default(32 * 1024),
    WECOM_TIMESTAMP_WINDOW_SECONDS: positiveInt.default(300),
    /** A refused callback (bad signature, stale, oversized, malformed) is answered after this long; 0 answers at once. */
    WECOM_REFUSAL_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(1_000),
    WECOM_SEND_RATE_PER_MINUTE: positiveInt.default(600),
    /** Per group robot (a department chat's webhook): WeChat Work allows 20 messages a minute. */
    WECOM_ROBOT_RATE_PER_MINUTE: positiveInt.default(20),
    /** Per member, app messages from this app: WeChat Work drops (silently) beyond 30 a minute and 1,000 an hour. */
    WECOM_MEMBER_RATE_PER_MINUTE: positiveInt.default(30),
    WECOM_MEMBER_RATE_PER_HOUR: positiveInt.default(1000),
    /** Residents' photos decoded at once per process (re-encoding strips EXIF); kept below libuv's pool of 4 so file reads are never starved. */
    PHOTO_DECODE_CONCURRENCY: positiveInt.default(2),
    /** Photo requests that may wait for a decoder per process; one more answers 503 photo_queue_busy. */
    PHOTO_DECODE_QUEUE: z.coerce.number().int().min(0).default(8),
    MP_APP_ID: optionalString,
    MP_APP_SECRET: optionalString,
    MP_API_BASE: z.string().url().default(PUBLIC_WECHAT_API_BASE),
    STATS_API_TOKEN: optionalString,
    /** The command centre: sessions, lights, assessment weights, map (config/console.json). */
    CONSOLE_CONFIG: z.string().default('config/console.json'),
    /** Map tiles for the console, e.g. 天地图 with your key; unset shows the district outline and markers only. */
    CONSOLE_TILE_URL: z.string().url().optional(),
    /** Bearer token of the 12345 hotline's work-order API; unset closes it. */
    HOTLINE_API_TOKEN: optionalString,
    /** Hotline platforms told of each order's progress (signed webhooks); unset: none. */
    HOTLINE_WEBHOOKS_CONFIG: optionalString,
    /** Optional LLM second opinion for low-confidence reports (an OpenAI-compatible chat-completions API on premises). */
    LLM_BASE_URL: z.string().url().optional(),
    LLM_API_KEY: optionalString,
    LLM_MODEL: optionalString,
    LLM_TIMEOUT_MS: positiveInt.default(8000),
    /** Open311 GeoReport v2 (`/open311/v2`): jurisdictions, services, limits; unset closes it (the sandbox opens the demo's). */
    OPEN311_CONFIG: optionalString,
    /** Alliance rules (points, quotas, check-in) and the participants registered from config. */
    ALLIANCE_CONFIG: z.string().default('config/alliance.json'),
    /** Bearer token of the alliance API the command centre calls; unset closes it. */
    ALLIANCE_API_TOKEN: optionalString,
    /** Signs on-site QR codes and personal check-in links; unset: derived from WECOM_SECRET. */
    ALLIANCE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .superRefine((env, ctx) => {
    for (const key of ['LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL'] as const) {
      const set = [env.LLM_BASE_URL, env.LLM_API_KEY, env.LLM_MODEL].filter((v) => v !== undefined).length;
      if (set > 0 && set < 3 && env[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required when any of LLM_BASE_URL, LLM_API_KEY, LLM_MODEL is set (all three turn the LLM second opinion on)' });
      }
    }
    if (env.REDIS_CLUSTER_NODES && env.REDIS_SENTINELS) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINELS'], message: 'cannot be set with REDIS_CLUSTER_NODES: Redis is either a cluster or a master watched by sentinels' });
    }
    if (env.REDIS_CLUSTER_NODES && env.QUEUE_PREFIX && !env.QUEUE_PREFIX.startsWith('{')) {
      ctx.addIssue({ code: 'custom', path: ['QUEUE_PREFIX'], message: `must be a hash tag on a Redis Cluster (REDIS_CLUSTER_NODES is set), e.g. {${env.QUEUE_PREFIX}}` });
    }
    if (env.WECOM_DIRECTORY_SECRET && !env.WECOM_CORP_ID) {
      ctx.addIssue({ code: 'custom', path: ['WECOM_CORP_ID'], message: 'is required when WECOM_DIRECTORY_SECRET is set (the directory is read from that corp)' });
    }
    if (!env.WECOM_CORP_ID) return; // sandbox mode: the fake WeChat Work server supplies the rest
    if (env.MP_APP_ID && !env.PUBLIC_BASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_BASE_URL'], message: 'is required when MP_APP_ID is set (residents\' photo links are built from it)' });
    }
    for (const key of ['WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const) {
      if (env[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required when WECOM_CORP_ID is set' });
      }
    }
  })
  .transform((env) => ({
    ...env,
    HOST: env.HOST ?? (env.WECOM_CORP_ID ? '0.0.0.0' : '127.0.0.1'),
    QUEUE_PREFIX: env.QUEUE_PREFIX ?? (env.REDIS_CLUSTER_NODES ? '{whistlebot}' : 'whistlebot'),
  }));

export type Env = z.infer<typeof envSchema>;

/** Loopback names: the only hosts a sandbox answers for unless HOST or PUBLIC_BASE_URL name another. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Keys whose values must never reach a log line. */
export const SECRET_ENV_KEYS = ['WECOM_SECRET', 'WECOM_DIRECTORY_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY', 'MP_APP_SECRET', 'STATS_API_TOKEN', 'HOTLINE_API_TOKEN', 'ALLIANCE_API_TOKEN', 'ALLIANCE_SECRET', 'LLM_API_KEY'] as const;
