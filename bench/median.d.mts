// Types of bench/median.mjs for its test.
/** The median log of several full bench passes' logs, line by line. */
export declare function medianLog(logs: readonly string[]): string;
