import { Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { fromPayloadsAtIndex, msToNumber, type Duration } from '@temporalio/common';
import type { DatabaseHandle } from '../../db/client';
import { periodicReviewAnchors } from '../../db/repositories';
import type { ProcessInput } from '../../workflows/contracts/process-contracts';
import { InjectDatabase, InjectTemporal } from '../infrastructure';

/**
 * When each effective revision's next periodic review falls due: the revision process waits
 * `timing.periodicReview` from the moment the revision entered its effective step, opens a review
 * task, and waits the period again from then (workflows/steps/step-runners.ts, runHold). The period
 * is the one the revision's workflow was started with — read from its start event in Temporal, not
 * from today's configuration — and the start of the current period from the database.
 */
@Injectable()
export class PeriodicReviewService {
  private readonly logger = new Logger('PeriodicReview');
  /** A workflow's start input never changes: its period is read once per workflow. */
  private readonly periods = new Map<string, Promise<number | null>>();

  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @InjectTemporal() private readonly temporal: Client,
  ) {}

  /** The next periodic review of each given effective revision, by record id (absent where it cannot be known). */
  async nextReviews(recordIds: string[]): Promise<Map<string, Date>> {
    const anchors = await periodicReviewAnchors(this.database.db, recordIds);
    const next = new Map<string, Date>();
    await Promise.all(
      anchors.map(async (anchor) => {
        const period = await this.periodOf(anchor.workflowId);
        if (period !== null) next.set(anchor.recordId, new Date(anchor.since.getTime() + period));
      }),
    );
    return next;
  }

  private periodOf(workflowId: string): Promise<number | null> {
    let period = this.periods.get(workflowId);
    if (!period) {
      period = this.readPeriod(workflowId);
      this.periods.set(workflowId, period);
      // An unanswered read is tried again next time.
      void period.then((value) => value === null && this.periods.delete(workflowId));
    }
    return period;
  }

  private async readPeriod(workflowId: string): Promise<number | null> {
    try {
      const { history } = await this.temporal.workflowService.getWorkflowExecutionHistory({
        namespace: this.temporal.options.namespace,
        execution: { workflowId },
        maximumPageSize: 1,
      });
      const started = history?.events?.[0]?.workflowExecutionStartedEventAttributes;
      // The client has no payload codec (api/infrastructure.ts): the payload converter reads the input as stored.
      const input = fromPayloadsAtIndex<ProcessInput>(this.temporal.options.loadedDataConverter.payloadConverter, 0, started?.input?.payloads);
      return msToNumber(input.timing.periodicReview as Duration);
    } catch (error) {
      this.logger.warn(`The periodic review period of ${workflowId} could not be read from Temporal: ${(error as Error).message}`);
      return null;
    }
  }
}
