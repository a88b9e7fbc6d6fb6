import mongoose, { type Connection } from 'mongoose';

export interface ConnectionLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Connects in the background: the process starts even if MongoDB is down;
 * /ready reports it and errors are logged instead of crashing.
 */
export function openMongooseConnection(uri: string, log: ConnectionLog): Connection {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 5000,
    // Fail a query at once while disconnected instead of holding the request open.
    bufferCommands: false,
    autoIndex: true,
  });
  connection.on('connected', () => log.info({}, 'mongodb connected'));
  connection.on('disconnected', () => log.error({}, 'mongodb disconnected'));
  connection.on('error', (error: Error) => log.error({ err: error.message }, 'mongodb connection error'));
  connection.asPromise().catch((error: Error) => log.error({ err: error.message }, 'mongodb initial connection failed'));
  return connection;
}
