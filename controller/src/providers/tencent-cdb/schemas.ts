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
/** Optional fields that read as absent when they cannot be read, rather than failing the whole task. */
const optionalInt = int.optional().catch(undefined);
const optionalText = text.optional().catch(undefined);
/** The code and message every object of the answer may carry about its own outcome. */
const outcome = { code: optionalInt, message: optionalText };

export const CheckStep = z.object({
  ...outcome,
  stepNo: optionalInt,
  stepName: optionalText,
});
export type CheckStep = z.infer<typeof CheckStep>;

export const CheckResult = z.object({
  ...outcome,
  status: optionalText,
  isSuccess: optionalInt,
  stepInfo: z.array(CheckStep).optional().catch(undefined),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const JobOutput = z.object({
  ...outcome,
  status: optionalText,
  stepAll: optionalInt,
  stepNow: optionalInt,
  stepName: optionalText,
  stepPercent: optionalText,
});
export type JobOutput = z.infer<typeof JobOutput>;

export const TaskItem = z.object({
  ...outcome,
  jobId: int,
  status: int,
  progress: optionalInt,
  detail: objectOrEmpty(
    z.object({
      jobName: optionalText,
      migrateType: optionalInt,
      checkInfo: objectOrEmpty(
        z.object({
          checkFlag: optionalInt,
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
