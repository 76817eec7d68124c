import { loadEnv } from '../config';
import { connectMongo } from '../store/connection';
import { Open311Repository } from '../store/open311Repository';

const USAGE = `usage:
  npm run open311:keys -- add <clientId> <name>   issue a key (printed once; only its hash is stored)
  npm run open311:keys -- revoke <clientId>       revoke every key of the client, at once
  npm run open311:keys -- list                    clients and their keys' dates`;

/** Manages Open311 client keys in the store named by MONGODB_URI. */
async function main(argv: string[]): Promise<number> {
  const [command, clientId, ...nameParts] = argv;
  const env = loadEnv({ REDIS_URL: 'redis://unused', ...process.env });
  const mongo = await connectMongo(env.MONGODB_URI);
  const keys = new Open311Repository(mongo);
  try {
    if (command === 'add' && clientId && /^[a-z0-9-]{1,32}$/.test(clientId) && nameParts.length > 0) {
      const key = await keys.issueKey(clientId, nameParts.join(' '));
      process.stdout.write(`${key}\n`);
      process.stderr.write(`key issued for ${clientId}: give it to the client as api_key; it is not shown again\n`);
      return 0;
    }
    if (command === 'revoke' && clientId) {
      const revoked = await keys.revoke(clientId);
      process.stderr.write(revoked > 0 ? `revoked ${revoked} key(s) of ${clientId}\n` : `${clientId} has no valid key\n`);
      return revoked > 0 ? 0 : 1;
    }
    if (command === 'list') {
      for (const c of await keys.clients()) process.stdout.write(`${c.clientId}\t${c.name}\tissued ${c.createdAt.toISOString()}\t${c.revokedAt ? `revoked ${c.revokedAt.toISOString()}` : 'valid'}\n`);
      return 0;
    }
    process.stderr.write(`${USAGE}\n(clientId: 1-32 of a-z 0-9 -)\n`);
    return 64;
  } finally {
    await mongo.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`open311:keys failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
