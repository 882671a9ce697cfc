import { z } from 'zod';
import { jsonSchema } from './json.js';

/**
 * `tests/<name>.yaml`: named cases for one transaction or sequence (the shape in issue 9 is the contract:
 * keys may be added, never renamed).
 */

/** One check on the result: the values `path` (a JSONPath) selects must satisfy every key given. */
export const testAssertionSchema = z
  .strictObject({
    path: z.string().min(1, 'path is a JSONPath such as $.name'),
    /** deep equality with the value (a path that selects several values compares their list) */
    equals: jsonSchema.optional(),
    /** a regular expression the value (as text) must match */
    matches: z.string().min(1).optional(),
    /** true: the path selects something; false: it selects nothing */
    exists: z.boolean().optional(),
    /** the length of the array or string the path selects */
    length: z.number().int().min(0).optional(),
  })
  .refine((a) => a.equals !== undefined || a.matches !== undefined || a.exists !== undefined || a.length !== undefined, {
    message: 'an assertion needs one of equals, matches, exists or length',
  });
export type TestAssertion = z.infer<typeof testAssertionSchema>;

export const testExpectSchema = z.strictObject({
  /** the HTTP status of a transaction; a sequence that succeeds counts as 200 */
  status: z.number().int().min(100).max(599).optional(),
  /** the execution takes at most this many milliseconds */
  maxMs: z.number().positive().optional(),
  /** true: the result conforms to the stored output schema (schemas/<target>.json) */
  schema: z.boolean().optional(),
  assertions: z.array(testAssertionSchema).optional(),
});
export type TestExpect = z.infer<typeof testExpectSchema>;

export const testCaseSchema = z.strictObject({
  name: z.string().min(1, 'a test case needs a name'),
  variables: z.record(z.string(), jsonSchema).optional(),
  /** true: transactions answer from stubs/ instead of their backends */
  stubs: z.boolean().optional(),
  expect: testExpectSchema.optional(),
});
export type TestCase = z.infer<typeof testCaseSchema>;

export const testFileSchema = z
  .strictObject({
    /** `<connector>.<transaction>` or a sequence name */
    target: z.string().min(1, 'target is <connector>.<transaction> or a sequence name'),
    cases: z.array(testCaseSchema).min(1, 'list at least one case under cases'),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.cases.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['cases', i, 'name'], message: `two cases are named "${c.name}"` });
      seen.add(c.name);
    });
  });
export type TestFile = z.infer<typeof testFileSchema>;

/** A test file as read from disk: its project-relative path and name (the file name without .yaml). */
export interface TestSuite extends TestFile {
  name: string;
  file: string;
}
