import mongoose, { type Connection } from 'mongoose';

/**
 * Opens a mongoose connection (not the global one, so tests and roles can hold several).
 * Works against MongoDB and FerretDB v1 alike: nothing here needs transactions or change streams.
 */
export async function connectMongo(uri: string, options: { serverSelectionTimeoutMS?: number; monitorCommands?: boolean } = {}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
    autoIndex: true,
    monitorCommands: options.monitorCommands ?? false,
  });
  await connection.asPromise();
  return connection;
}

/** True when the store answers a ping within the timeout. */
export async function mongoIsReady(connection: Connection, timeoutMs = 1000): Promise<boolean> {
  const db = connection.db;
  if (!db || connection.readyState !== 1) return false;
  try {
    await withTimeout(db.admin().command({ ping: 1 }), timeoutMs);
    return true;
  } catch {
    return false;
  }
}

/** True when the server is FerretDB rather than MongoDB (tests use it to assert MongoDB-only behaviour). */
export async function isFerretdb(connection: Connection): Promise<boolean> {
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
