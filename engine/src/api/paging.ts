import { drsError, type DrsError } from '../drs-errors.ts';

/**
 * page_req of batch-status / batch-detail (Tables 4-155, 4-177): cur_page from 1 (default 1),
 * per_page 0..100 (default 5; 0 = everything). The defaults apply when page_req is absent too,
 * so a client that sends 100 IDs without page_req gets the first 5 — send per_page.
 */
export interface PageRequest {
  cur_page?: number | undefined;
  per_page?: number | undefined;
}

export const DEFAULT_PER_PAGE = 5;

export function pageOf<T>(items: readonly T[], page: PageRequest | undefined): { ok: true; items: T[] } | { ok: false; error: DrsError } {
  const perPage = page?.per_page ?? DEFAULT_PER_PAGE;
  const curPage = page?.cur_page ?? 1;
  if (perPage === 0) return { ok: true, items: [...items] };
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  if (curPage > pages) return { ok: false, error: drsError('DRS.M00211') };
  return { ok: true, items: items.slice((curPage - 1) * perPage, curPage * perPage) };
}
