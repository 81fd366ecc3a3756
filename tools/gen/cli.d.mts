// Types of tools/gen/cli.mjs for the test that runs docs/cli.md's examples.
/** Per command: [title, command line, expected exit code]. */
export declare const examples: Readonly<Record<string, readonly (readonly [string, string, number])[]>>;
