import { z } from 'zod';

/**
 * GetCdbDataSyncTaskList answers, read leniently: the v2 API returns numbers as numbers or as
 * strings ("runMode": "1"), empty objects as [] (PHP), and fields this build does not use are
 * dropped. Only jobId and status are required of a task.
 */
const int = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);
const text = z.union([z.string(), z.number().transform(String)]);
/** PHP serializes an empty object as []; anything that is not an object reads as absent. */
const objectOrEmpty = <T extends z.ZodType>(schema: T) => z.union([schema, z.unknown().transform(() => undefined)]);

export const CheckStep = z.object({
  stepNo: int.optional().catch(undefined),
  stepName: text.optional().catch(undefined),
  code: int.optional().catch(undefined),
  message: text.optional().catch(undefined),
});
export type CheckStep = z.infer<typeof CheckStep>;

export const CheckResult = z.object({
  code: int.optional().catch(undefined),
  message: text.optional().catch(undefined),
  status: text.optional().catch(undefined),
  isSuccess: int.optional().catch(undefined),
  stepInfo: z.array(CheckStep).optional().catch(undefined),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const JobOutput = z.object({
  code: int.optional().catch(undefined),
  message: text.optional().catch(undefined),
  status: text.optional().catch(undefined),
  stepAll: int.optional().catch(undefined),
  stepNow: int.optional().catch(undefined),
  stepName: text.optional().catch(undefined),
  stepPercent: text.optional().catch(undefined),
});
export type JobOutput = z.infer<typeof JobOutput>;

export const TaskItem = z.object({
  code: int.optional().catch(undefined),
  message: text.optional().catch(undefined),
  jobId: int,
  status: int,
  progress: int.optional().catch(undefined),
  detail: objectOrEmpty(
    z.object({
      jobName: text.optional().catch(undefined),
      migrateType: int.optional().catch(undefined),
      checkInfo: objectOrEmpty(
        z.object({
          checkFlag: int.optional().catch(undefined),
          checkResult: objectOrEmpty(CheckResult),
        }),
      ),
      jobOutput: objectOrEmpty(JobOutput),
    }),
  ),
});
export type TaskItem = z.infer<typeof TaskItem>;

export const TaskList = z.object({
  totalCount: int,
  jobList: z.array(z.unknown()),
});
