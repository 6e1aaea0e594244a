/** /villages/<code>/data.csv (Excel flavour, with BOM) and data.json: this page's progress rows, all months. */
import type { APIContext } from 'astro';
import { entityDownload, entityPaths } from '../../../downloads.ts';

export function getStaticPaths() {
  return entityPaths('villages');
}

export function GET({ params }: APIContext) {
  return entityDownload('villages', params.code!, params.ext!);
}
