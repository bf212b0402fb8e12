import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { AppModule } from './app.module';
import { refuseControlCharacters } from './common/control-characters.pipe';
import { browserApp } from './common/browser-app';
import { countInteractiveRequests } from './common/interactive-requests';
import { noStoreOnApi, securityHeaders } from './common/security-headers';
import { PDF_VERIFICATION_PATH, routePath } from './common/upload-routes';
import { refuseForeignWrites } from './common/write-requests';
import { appValidationPipe } from './common/validation';
import { methodNotAllowed } from './common/method-not-allowed';
import { createOpenApiDocument } from './common/openapi-document';
import type { AppSettings } from './infrastructure';
import { connectDatabase } from '../db/client';
import { assertOrganisationCaContinuity } from '../config/organisation-ca-continuity';

/** Builds the NestJS application (API, OpenAPI at /api/docs, the web app at /), not yet listening. */
export async function createApp(settings: AppSettings, options: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  await organisationCaChecked(settings);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(settings), {
    logger: options.logger === false ? false : ['log', 'warn', 'error'],
    bodyParser: false,
  });
  const { config } = settings;
  app.disable('x-powered-by');
  // X-Forwarded-For is believed only from the configured proxies: a direct client cannot choose the
  // address the audit trail records for it.
  app.set('trust proxy', config.trustedProxies.length > 0 ? config.trustedProxies : false);
  app.use(countInteractiveRequests, securityHeaders(config), noStoreOnApi, refuseForeignWrites(config));
  app.use(cookieParser());
  // JSON only (writes of any other type are refused above). Document uploads are not parsed here:
  // their controller streams the body to PostgreSQL. The PDF to verify is parsed in memory, so it
  // has its own, smaller limit.
  app.useBodyParser('json', { limit: config.jsonBodyLimit });
  app.useBodyParser('raw', { type: (request) => routePath(request.url ?? '') === PDF_VERIFICATION_PATH, limit: config.pdfVerificationLimit });
  app.useGlobalPipes(refuseControlCharacters, appValidationPipe);
  const document = createOpenApiDocument(
    app,
    new DocumentBuilder()
      .setTitle('Attestflow API')
      .setDescription('Regulated processes, 21 CFR Part 11 e-signatures and the audit trail. Errors are JSON: { code, message }.')
      .setVersion('0.1.0')
      .addCookieAuth('attestflow_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  app.use(methodNotAllowed(document));
  // Keep idle connections open longer than clients and proxies do (60 s is common), so a client never
  // reuses a socket the server is closing at that moment (ECONNRESET under load).
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  app.use(...browserApp());
  return app;
}

/** Before any module connects to anything or loads (or creates) the organisation CA. */
async function organisationCaChecked({ config }: AppSettings): Promise<void> {
  const database = connectDatabase(config.databaseUrl, { max: 1 });
  try {
    await assertOrganisationCaContinuity(database.db, config);
  } finally {
    await database.close();
  }
}
