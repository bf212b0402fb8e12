// The live state of one process run: the record as the workflow knows it (status, content, round,
// signatures, open tasks, children), the events raised that no step has consumed yet, and the pure
// queries over them. Handlers and step runners change it only under the action lock (action-lock.ts).
import type { ProcessActionName, ProcessState, ProcessTask, ProcessView, Viewer } from '../contracts/process-contracts';
import { stepOf, type ProcessDefinition, type StepDefinition, type StepEvent } from './definition';
import { allowedActions, quorumOf, refusalFor, type Refusal } from './rules';

export class ProcessRunState {
  /** Null until the run's first activity has created the record. */
  private current: ProcessState | null = null;
  /** Events raised (by an effect of this process, or sent by another) that no step has consumed yet. */
  private readonly raised: string[] = [];
  private readonly createdChildren = new Set<string>();

  constructor(private readonly definition: ProcessDefinition) {}

  /** Whether the record exists yet. */
  get exists(): boolean {
    return this.current !== null;
  }

  /** The record; read only once it exists. */
  get record(): ProcessState {
    return this.current!;
  }

  /** The record has been created: from now on handlers may act on it. */
  begin(record: ProcessState): void {
    this.current = record;
  }

  // ---- queries --------------------------------------------------------------------------------

  /** A copy for Update results and Queries (structuredClone is not in the workflow sandbox). */
  snapshot(): ProcessState {
    return JSON.parse(JSON.stringify(this.current)) as ProcessState;
  }

  /** What the process Query answers: the state, what the viewer may do, the current quorum. */
  view(viewer: Viewer | null): ProcessView | null {
    const current = this.current;
    return current
      ? { ...this.snapshot(), allowedActions: allowedActions(this.definition, current, viewer), quorum: quorumOf(this.definition, current) }
      : null;
  }

  /** Why an action would be refused now; null when it would be accepted (unknown while being created). */
  refusalOf(action: ProcessActionName, viewer: Viewer, taskId?: string, outcome?: string): Refusal | null {
    return this.current ? refusalFor(this.definition, this.current, action, viewer, taskId, outcome) : null;
  }

  isOpen(taskId: string): boolean {
    return this.record.openTasks.some((t) => t.taskId === taskId);
  }

  /** Ids to close with these tasks: the tasks and the follow-ups chasing them. */
  withFollowUps(taskIds: string[]): string[] {
    return [...taskIds, ...this.record.openTasks.filter((t) => t.escalatesTaskId !== null && taskIds.includes(t.escalatesTaskId)).map((t) => t.taskId)];
  }

  tasksOfStep(step: string): string[] {
    return this.record.openTasks.filter((t) => t.step === step).map((t) => t.taskId);
  }

  /** Whether the process has moved on from `status` entered in `round`. */
  hasLeft(status: string, round: number): boolean {
    return this.record.status !== status || this.record.round !== round;
  }

  /** The first raised event the step names, with where it leads. */
  eventIn(step: StepDefinition): { name: string; event: StepEvent } | null {
    if (step.kind === 'final' || !step.events) return null;
    for (const name of this.raised) {
      const event = step.events[name];
      if (event) return { name, event };
    }
    return null;
  }

  // ---- changes ----------------------------------------------------------------------------------

  raise(events: readonly string[]): void {
    this.raised.push(...events);
  }

  /** A step moved on with this event: it no longer waits. */
  consume(event: string): void {
    this.raised.splice(this.raised.indexOf(event), 1);
  }

  /** Enters step `to`: a new round, in which only signatures given in it count. */
  enter(to: string): void {
    const current = this.record;
    current.status = to;
    current.round += 1;
    current.final = stepOf(this.definition, to).kind === 'final';
  }

  addTasks(tasks: ProcessTask[]): void {
    this.record.openTasks.push(...tasks);
  }

  closeTasks(taskIds: string[]): void {
    this.record.openTasks = this.record.openTasks.filter((t) => !taskIds.includes(t.taskId));
  }

  noteVersion(result: { version: number; contentHash: string }): void {
    this.record.version = result.version;
    this.record.contentHash = result.contentHash;
  }

  /** A child process reached the state in which it has done what this process asked of it. */
  childDone(recordId: string): void {
    const child = this.current?.children.find((c) => c.recordId === recordId);
    if (child && child.status === 'open') child.status = 'done';
  }

  /** A child process said its record exists (it may say so before this process has noted starting it). */
  noteChildCreated(recordId: string): void {
    this.createdChildren.add(recordId);
  }

  childCreated(recordId: string): boolean {
    return this.createdChildren.has(recordId);
  }

  /** Whether this process has started a child with this key (`ChildSpec.key`). */
  hasChildKeyed(key: string): boolean {
    return this.record.children.some((c) => c.key === key);
  }

  /** The child's status as this process knows it; 'open' until noted otherwise. */
  childStatus(recordId: string): string {
    return this.record.children.find((c) => c.recordId === recordId)?.status ?? 'open';
  }

  childEnded(recordId: string, status: 'closed' | 'cancelled'): void {
    this.record.children.find((c) => c.recordId === recordId)!.status = status;
  }
}
