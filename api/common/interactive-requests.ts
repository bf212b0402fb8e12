import type { NextFunction, Request, Response } from 'express';
import { interactiveWorkEnded, interactiveWorkStarted } from '../../activities/pdf-thread/interactive-gate';

/**
 * Counts the API requests being answered, so that closure PDFs rendering in this process's PDF
 * threads pause for them (activities/pdf-thread/interactive-gate.ts). Each request counts from its
 * first byte until its answer is sent or its connection closes.
 */
export function countInteractiveRequests(request: Request, response: Response, next: NextFunction): void {
  if (!request.path.startsWith('/api/') || request.path === '/api/health') return next();
  interactiveWorkStarted();
  response.once('close', interactiveWorkEnded);
  next();
}
