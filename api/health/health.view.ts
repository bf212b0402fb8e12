import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthCheckView {
  @ApiProperty() ok!: boolean;
  @ApiProperty() latencyMs!: number;
  @ApiPropertyOptional({ description: 'Why it is not ok' }) error?: string;
}

export class PdfGeneratorCheckView extends HealthCheckView {
  @ApiPropertyOptional({ description: 'Milliseconds since the last heartbeat; stale (not ok) after three heartbeat intervals' }) lastHeartbeatAgeMs?: number;
  @ApiPropertyOptional({ description: 'Process id of the generator that beat last' }) pid?: number;
  @ApiPropertyOptional() host?: string;
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
}

export class HealthChecksView {
  @ApiProperty({ type: HealthCheckView }) postgresql!: HealthCheckView;
  @ApiProperty({ type: HealthCheckView }) redis!: HealthCheckView;
  @ApiProperty({ type: HealthCheckView }) temporal!: HealthCheckView;
  @ApiProperty({ type: PdfGeneratorCheckView, description: 'The PDF generator, by its heartbeat (not ok makes the status degraded, still 200)' })
  pdfGenerator!: PdfGeneratorCheckView;
}

export class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded', 'unavailable'] }) status!: 'ok' | 'degraded' | 'unavailable';
  @ApiProperty({ type: HealthChecksView }) checks!: HealthChecksView;
}
