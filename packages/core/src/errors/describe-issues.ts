import type { z } from 'zod';

/** Formats zod issues as one line: `quantity: Too small…; id: Invalid input`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
