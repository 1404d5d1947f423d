// Types of scripts/build.mjs for the TypeScript code that imports it (the benchmarks).
export declare const ROOT: string;
export declare const DIST_ENTRY: string;
export declare function build(): Promise<string>;
export declare function ensureBuilt(): Promise<string>;
export declare function bundle(entry: string, outfile: string): Promise<void>;
