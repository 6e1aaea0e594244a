/** /units/<code>/data.csv (Excel flavour, with BOM) and data.json: this page's progress rows, all months. */
import type { APIContext } from 'astro';
import { entityDownload, entityPaths } from '../../../downloads.ts';

export function getStaticPaths() {
  return entityPaths('units');
}

export function GET({ params }: APIContext) {
  return entityDownload('units', params.code!, params.ext!);
}
