/** The few parts of npm `datapackage` (Frictionless Data, untyped) that the tests use. */
declare module 'datapackage' {
  export interface Resource {
    name: string;
    valid: boolean;
    errors: Error[];
    read(options?: { keyed?: boolean; forceCast?: boolean; relations?: boolean }): Promise<Array<Record<string, unknown> | Error>>;
  }
  export class Package {
    static load(descriptor: string | object, options?: { basePath?: string; strict?: boolean }): Promise<Package>;
    valid: boolean;
    errors: Error[];
    resources: Resource[];
    getResource(name: string): Resource | null;
  }
}
