import { ApiProperty } from '@nestjs/swagger';
import type { DossierView } from './dossiers.service';

export class DossierProgressView {
  @ApiProperty() done!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ example: 'rendering 3 of 19' }) description!: string;
}

export class DossierArtifactView {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) sha256!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ example: '/api/dossiers/…/pdf' }) download!: string;
}

/** A dossier request: queued / rendering n of m / done / failed with reason. */
export class DossierStatusView implements DossierView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['queued', 'rendering', 'done', 'failed'] }) status!: DossierView['status'];
  @ApiProperty({ type: DossierProgressView }) progress!: DossierProgressView;
  @ApiProperty({ type: String, nullable: true }) failureReason!: string | null;
  @ApiProperty({ type: [String] }) recordNumbers!: string[];
  @ApiProperty({ type: DossierArtifactView, nullable: true }) artifact!: DossierArtifactView | null;
}
