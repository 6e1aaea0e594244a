/** Lists shown a page at a time (stories, the units directory): pages are numbered from 1, and an empty list still has its first page. */
export const pageCount = (total: number, perPage: number) => Math.max(1, Math.ceil(total / perPage));

/** The items on page `page`. */
export const pageItems = <T>(items: readonly T[], page: number, perPage: number): T[] => items.slice((page - 1) * perPage, page * perPage);

/** The pages after the first, which get addresses of their own (`/stories/page/2/` …). */
export const laterPages = (total: number, perPage: number): number[] => Array.from({ length: pageCount(total, perPage) - 1 }, (_, i) => i + 2);

/** The position in the whole list (from 1) of a page's first item. */
export const firstOnPage = (page: number, perPage: number) => (page - 1) * perPage + 1;
