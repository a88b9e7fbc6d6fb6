import 'reflect-metadata';
import 'dotenv/config';
import { ConfigError, loadConfig } from '../config/env';
import { createLogger } from './logger';
import { startServer } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  const server = await startServer(config, logger);

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => process.exit(1), 10_000);
    deadline.unref();
    server
      .close()
      .then(() => {
        logger.info({}, 'stopped');
        process.exit(0);
      })
      .catch((error: Error) => {
        logger.error({ err: error.message }, 'shutdown failed');
        process.exit(1);
      });
  };
  // A library's promise that nobody handles (say, a publish while Redis is away) must not take the service down.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // Announced only once a signal would shut it down cleanly: whoever waits for this line may signal at once.
  logger.info({ url: server.url }, `meet-backend listening on ${server.url}`);
}

main().catch((error: Error) => {
  console.error(`Failed to start: ${error.message}`);
  process.exit(1);
});
