import { ApiProperty } from '@nestjs/swagger';
import type { DossierListItem, DossierView } from './dossiers.service';

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

export class DossierListProgressView {
  @ApiProperty() done!: number;
  @ApiProperty() total!: number;
}

/** A dossier in the list: what it is, who asked for it and when, how far it got. */
export class DossierListItemView implements DossierListItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['queued', 'rendering', 'done', 'failed'] }) status!: DossierListItem['status'];
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ description: 'Printed name of the person who requested it' }) requestedBy!: string;
  @ApiProperty({ description: 'How many records it holds' }) records!: number;
  @ApiProperty({ type: DossierListProgressView }) progress!: DossierListProgressView;
  @ApiProperty({ type: String, nullable: true, pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the sealed PDF, once done' }) sha256!: string | null;
}
