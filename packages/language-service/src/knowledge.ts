import { extensionIdPattern } from '@claimc/model';
import type { TokenSizeApplication } from '@claimc/compiler';
import type { SnapshotKnowledge } from './analysis.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * What a directory snapshot (Graph shapes, as `claimc issue --directory` reads) tells the editor: the directory
 * extensions its users carry or its applications declare (`extensionProperties`), and, when `app` names an
 * application by appId or display name, that application's optional claims, group claims and app roles.
 *
 * @example
 * const knowledge = snapshotKnowledge(JSON.parse(text), '22222222-0000-4000-8000-000000000001');
 */
export function snapshotKnowledge(snapshot: unknown, app?: string): SnapshotKnowledge {
  if (!isObject(snapshot)) return { extensions: [] };
  const extensions = new Set<string>();
  for (const user of list(snapshot.users)) {
    if (!isObject(user)) continue;
    for (const key of Object.keys(user)) if (extensionIdPattern.test(key)) extensions.add(key);
  }
  const applications = list(snapshot.applications).filter(isObject);
  for (const application of applications) {
    const appId = typeof application.appId === 'string' ? application.appId.replace(/-/g, '') : '';
    for (const property of list(application.extensionProperties)) {
      const name = isObject(property) ? property.name : undefined;
      if (typeof name === 'string' && extensionIdPattern.test(name)) extensions.add(name);
      else if (typeof name === 'string' && /^[A-Za-z0-9_]+$/.test(name) && appId.length === 32) extensions.add(`extension_${appId}_${name}`);
    }
  }
  const wanted = app?.toLowerCase();
  const application = wanted === undefined ? undefined : applications.find((a) => [a.appId, a.displayName, a.id].some((v) => typeof v === 'string' && v.toLowerCase() === wanted));
  return { extensions: [...extensions].sort(), ...(application !== undefined ? { application: application as TokenSizeApplication } : {}) };
}
