import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { AppModule } from './app.module';
import { refuseControlCharacters } from './common/control-characters.pipe';
import { appValidationPipe } from './common/validation';
import type { AppSettings } from './infrastructure';

/** Builds the NestJS application (API, OpenAPI at /api/docs, the web app at /), not yet listening. */
export async function createApp(settings: AppSettings, options: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(settings), {
    logger: options.logger === false ? false : ['log', 'warn', 'error'],
  });
  app.set('trust proxy', 'loopback');
  app.use(cookieParser());
  app.useBodyParser('raw', { type: 'application/pdf', limit: '500mb' });
  app.useBodyParser('raw', { type: 'application/octet-stream', limit: '500mb' });
  app.useGlobalPipes(refuseControlCharacters, appValidationPipe);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Attestflow API')
      .setDescription('Regulated processes, 21 CFR Part 11 e-signatures and the audit trail. Errors are JSON: { code, message }.')
      .setVersion('0.1.0')
      .addCookieAuth('attestflow_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  // Keep idle connections open longer than clients and proxies do (60 s is common), so a client never
  // reuses a socket the server is closing at that moment (ECONNRESET under load).
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  app.useStaticAssets(path.join(__dirname, '..', 'web'), { index: 'index.html' });
  return app;
}
