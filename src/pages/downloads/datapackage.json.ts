/** /downloads/datapackage.json: the Frictionless Data Package describing every CSV download. */
import { fileResponse, getDataPackageJson } from '../../downloads.ts';

export async function GET() {
  return fileResponse(await getDataPackageJson(), 'application/json; charset=utf-8');
}
