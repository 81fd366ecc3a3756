// Where the published JSON Schemas live: each one's `$id`, so editors and validators can fetch and cache it.
export const schemaBase = 'https://raw.githubusercontent.com/claimc/claimc/main/docs/schemas/';

/** `$id` for a schema file under docs/schemas/. */
export const schemaId = (file) => schemaBase + file;

/** A `$schema` member, which every claimc input file may carry to name its schema for editors. */
export const schemaMember = { type: 'string', description: 'The JSON Schema this file follows (for editors); claimc ignores it.' };

// tools/gen.mjs runs every module here; this one only shares constants.
export async function generate() {
  return [];
}
