import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthCheckView {
  @ApiProperty() ok!: boolean;
  @ApiProperty() latencyMs!: number;
  @ApiPropertyOptional({ description: 'Why it is not ok' }) error?: string;
}

export class HealthChecksView {
  @ApiProperty({ type: HealthCheckView }) postgresql!: HealthCheckView;
  @ApiProperty({ type: HealthCheckView }) redis!: HealthCheckView;
  @ApiProperty({ type: HealthCheckView }) temporal!: HealthCheckView;
  @ApiPropertyOptional({ type: HealthCheckView, description: 'The PDF generator, by its heartbeat' }) pdfGenerator?: HealthCheckView;
}

export class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded', 'unavailable'] }) status!: 'ok' | 'degraded' | 'unavailable';
  @ApiProperty({ type: HealthChecksView }) checks!: HealthChecksView;
}
