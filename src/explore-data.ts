/** Read-model views of the explore pages, built once per build however many pages ask. */
import { unitLists } from './lib/model/unit-directory.ts';
import { getSiteModel } from './site-data.ts';

let lists: Promise<ReturnType<typeof unitLists>> | null = null;

export function getUnitLists(): Promise<ReturnType<typeof unitLists>> {
  lists ??= getSiteModel().then(unitLists);
  return lists;
}
