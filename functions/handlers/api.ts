/**
 * API Lambda: API Gateway → the Hono app of functions/app/api.ts. The same `app` serves `npm start`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { handle } from 'hono/aws-lambda';
import { createApp } from '../app/api.ts';
import { createApiDeps, runtimeConfigFromEnv } from './runtime.ts';

const logger = new Logger({ serviceName: 'policy-monitor', persistentKeys: { function: 'api' } });
export const app = createApp(createApiDeps(runtimeConfigFromEnv(), {}, (message, error) => logger.error(message, { error: error as Error })));
export const handler = handle(app);
