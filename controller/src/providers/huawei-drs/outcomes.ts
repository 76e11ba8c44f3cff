import type { ProviderHttpError } from '../http/errors.ts';
import { DRS_ERROR_CODES } from './enums.ts';
import { isGoneCode, isRetryableItemCode } from './errors.ts';

/**
 * The result of one item of a batch call. Batch calls never throw for a failed item: each item
 * says whether it worked and, if not, whether trying again can help (`retryable`) or the job no
 * longer exists (`gone`).
 */
export interface ItemFailure {
  ok: false;
  /** The provider's error code (DRS.M01504, DRS.KE002, ...) or one of ITEM_FAILURE_CODES. */
  code: string;
  /** The provider's message, or ours; never contains request values such as passwords. */
  message: string;
  retryable: boolean;
  gone: boolean;
}

/** `K` identifies the item (jobId, name, endpoint); `T` is what a success carries. */
export type ItemOutcome<K, T = object> = (K & { ok: true } & T) | (K & ItemFailure);

/** Failure codes made up by the client (the provider's are DRS.*). */
export const ITEM_FAILURE_CODES = {
  /** A query's answer had no entry for this ID: treated as gone, as the reference advises. */
  missingResult: 'MissingResult',
  /** An action's answer had no entry for this item: outcome unknown, re-read before repeating. */
  noResult: 'NoResult',
  /** The entry for this item did not match the reference's schema. */
  invalidResult: 'InvalidResult',
  /** The item was refused before sending: it does not match the reference's request schema. */
  invalidRequest: 'InvalidRequest',
  /** The job's status is DELETED. */
  deleted: 'DELETED',
  /** Marked failed without an error code (or a connection test with success:false). */
  failed: 'Failed',
} as const;

/** A failure reported by the provider for one item. */
export function providerItemFailure(code: string, message: string | undefined): ItemFailure {
  return {
    ok: false,
    code,
    message: message || (code === DRS_ERROR_CODES.busy ? 'another operation is being performed on the job; try again later' : `failed with ${code}`),
    retryable: isRetryableItemCode(code),
    gone: isGoneCode(code),
  };
}

export function itemFailure(code: string, message: string, flags: { retryable: boolean; gone?: boolean }): ItemFailure {
  return { ok: false, code, message, retryable: flags.retryable, gone: flags.gone ?? false };
}

/**
 * Items of a chunk whose whole call failed while other chunks of the same batch succeeded.
 * Never `gone`: a failed call says nothing about whether a job exists.
 */
export function callFailure(error: ProviderHttpError): ItemFailure {
  return { ok: false, code: error.code ?? error.kind, message: error.message, retryable: error.retryable, gone: false };
}
