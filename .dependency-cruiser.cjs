/**
 * Which top-level folder may import which (issue 12). There are no known violations: any
 * violation fails `npm test` (npm run deps:check).
 */
const OUTER = '^(app|bots|commands|infra|jobs|store|web|fakes|scripts|bench)/';
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/ (the domain) imports nothing of the application, the channels or the infrastructure',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: OUTER },
    },
    {
      name: 'domain-knows-no-frameworks',
      comment: 'the domain knows nothing of Koa, WeCom, BullMQ, ioredis or mongoose',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm', 'npm-dev'], path: 'node_modules/(koa|@koa/|bullmq|ioredis|mongoose|mongodb|@wecom/)' },
    },
    {
      name: 'store-and-commands-are-inner',
      comment: 'the store and the use cases know no channel (bots, web), no job wiring and no composition root',
      severity: 'error',
      from: { path: '^(store|commands)/' },
      to: { path: '^(bots|web|jobs|app|fakes|scripts|bench)/' },
    },
    {
      name: 'channels-do-not-import-each-other',
      comment: 'WeChat Work (bots/) and the HTTP channels (web/) meet only in the composition root',
      severity: 'error',
      from: { path: '^bots/' },
      to: { path: '^web/' },
    },
    {
      name: 'only-the-composition-root-wires',
      comment: 'nothing but app/, scripts and benches imports app/',
      severity: 'error',
      from: { path: '^(src|store|commands|bots|jobs|web|config|infra|fakes)/' },
      to: { path: '^app/' },
    },
    {
      name: 'production-code-uses-no-fakes',
      comment: 'fakes/ is for tests, the sandbox and benches',
      severity: 'error',
      from: { path: '^(src|store|commands|bots|jobs|config|infra)/' },
      to: { path: '^fakes/' },
    },
    {
      name: 'no-circular',
      comment: 'no module cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.data|test-artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
